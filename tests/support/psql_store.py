"""The PostgreSQL store as the few DB-API calls the tests' checks make, through psql (the
tests depend on no Python driver). `?` parameters are quoted literals; a value is an int
when its text is exactly an integer's, so str() of any value gives the stored text back."""

import re
import subprocess

NULL = "\\N"
INTEGER = re.compile(r"-?[1-9][0-9]*|0")


class PsqlStore:
    def __init__(self, url):
        self.url = url

    def execute(self, sql, params=()):
        for p in params:
            sql = sql.replace("?", "'" + str(p).replace("'", "''") + "'", 1)
        out = subprocess.run(["psql", self.url, "-XAtq", "-F", "\x1f", "-P", f"null={NULL}", "-c", sql],
                             check=True, capture_output=True, text=True).stdout
        return Rows([tuple(self.value(v) for v in line.split("\x1f")) for line in out.splitlines() if line])

    @staticmethod
    def value(text):
        if text == NULL:
            return None
        return int(text) if INTEGER.fullmatch(text) else text

    def close(self):
        pass


class Rows(list):
    def fetchall(self):
        return list(self)

    def fetchone(self):
        return self[0] if self else None
