"""Two `essc serve --sandbox` on one data folder whose store is a fresh PostgreSQL
database, reached as a balancer would reach them: what two_servers_test.py and
faq_two_servers_test.py share.

    with TwoServers(essc, base_url, "faq") as cluster:
        cluster.cli("operator", "add", ...)         # the command line on the folder (SQLite)
        channel = cluster.client("--kind", "channel", ...)
        copied = cluster.copy_store()               # essc store copy into the fresh database
        a, b = cluster.start()                      # two servers, ready
        api = Alternating([a.port, b.port])         # each request to the other server

The database is made on the server of `base_url` (a URL to an existing database) and
dropped on leaving, with the folder.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "crash"))
from crash_test import Api, Server, finish, request  # noqa: E402


def either_store_main(prefix, run_test):
    """The command line of a test that runs `run_test(essc, root, postgres_url)` in a new
    folder `root`, on SQLite or on a database of its own made on the server of a given
    POSTGRES_URL and dropped after: ESSC_BINARY [POSTGRES_URL] [--keep]. Returns the exit
    status."""
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    base_url = args[1] if len(args) > 1 else None
    workdir = os.environ.get("ESSC_TEST_TMP", tempfile.gettempdir())
    os.makedirs(workdir, exist_ok=True)
    root = tempfile.mkdtemp(prefix=f"essc-{prefix}-", dir=workdir)
    database = f"{prefix}_" + uuid.uuid4().hex[:10] if base_url else None
    if database:
        psql(base_url, f"CREATE DATABASE {database}")
    try:
        url = base_url.replace("/essc?", f"/{database}?", 1) if database else None
        failures = run_test(os.path.abspath(args[0]), root, url)
    finally:
        if database:
            psql(base_url, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    return finish(failures, root, "--keep" in sys.argv)


def api_on(port, api):
    """An Api for the server on `port` that shares `api`'s nonces (a store refuses a nonce
    twice, whichever server it reaches)."""
    each = Api(port)
    each.next_nonce = api.next_nonce
    return each


def folder_servers(essc, data, env, postgres_url):
    """The Servers, not started, of the folder `data`: one on its SQLite store, or two on
    `postgres_url` once the store is copied there. Each logs to a file of its own."""
    if postgres_url:
        subprocess.run([essc, "store", "copy", "--data-dir", data, "--to", postgres_url], env=env, check=True,
                       capture_output=True)
    servers = [Server(essc, data, free_port(), env) for _ in range(2 if postgres_url else 1)]
    for i, s in enumerate(servers):
        s.starts = 100 * (i + 1)  # serve-100.log, serve-200.log
    return servers


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(url, sql):
    subprocess.run(["psql", url, "-qXc", sql], check=True, capture_output=True)


class TwoServers:
    """A data folder on SQLite, then its store copied into a database of its own on
    PostgreSQL and served by two processes."""

    def __init__(self, essc, base_url, name):
        self.essc, self.base_url = essc, base_url
        self.database = f"{name}_" + uuid.uuid4().hex[:10]
        self.url = base_url.replace("/essc?", f"/{self.database}?", 1)
        self.servers = []
        self.env = dict(os.environ, ESSC_SECURITY_ARGON2_OPS_LIMIT="1", ESSC_SECURITY_ARGON2_MEMORY_KIB="8",
                        ESSC_LOG_LEVEL="warn")

    def __enter__(self):
        psql(self.base_url, f"CREATE DATABASE {self.database}")
        parent = os.environ.get("ESSC_TEST_TMP")
        if parent:
            os.makedirs(parent, exist_ok=True)
        self.folder = tempfile.TemporaryDirectory(dir=parent)
        self.root = self.folder.name
        self.data = os.path.join(self.root, "data")
        self.cli("init")
        return self

    def __exit__(self, *exc):
        for s in self.servers:
            s.stop()
        self.folder.cleanup()
        psql(self.base_url, f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")
        return False

    def cli(self, *args, data=None):
        return subprocess.run([self.essc, *args, "--data-dir", data or self.data], env=self.env, check=True,
                              capture_output=True, text=True).stdout

    def client(self, *args):
        """`essc client add ARGS`: {id, secret}."""
        out = dict(line.split("=", 1) for line in self.cli("client", "add", *args).split() if "=" in line)
        return {"id": out["client_id"], "secret": out["client_secret"]}

    def copy_store(self):
        """`essc store copy` of the folder into the fresh database; its output."""
        return self.cli("store", "copy", "--to", self.url)

    def start(self, count=2):
        self.servers = [Server(self.essc, self.data, free_port(), self.env) for _ in range(count)]
        for s in self.servers:
            s.start()
        return self.servers


def at_once(*calls):
    """Runs the calls in parallel threads and returns their answers in order."""
    answers = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(i):
        barrier.wait()
        answers[i] = calls[i]()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


class Alternating:
    """Signed, operator and public calls, each consecutive one to the next server: one
    client's nonces whichever server a request goes to. `ports_used` counts the calls
    each port answered."""

    def __init__(self, ports):
        self.apis = [Api(port) for port in ports]
        for api in self.apis[1:]:
            api.next_nonce = self.apis[0].next_nonce
        self.turn = 0
        self.lock = threading.Lock()
        self.ports_used = {port: 0 for port in ports}

    def next_api(self):
        with self.lock:
            api = self.apis[self.turn % len(self.apis)]
            self.turn += 1
            self.ports_used[api.port] += 1
            return api

    def signed(self, client, method, target, body=None, extra=None):
        return self.next_api().signed(client, method, target, body, extra)

    def operator(self, token, method, target, body=None, extra=None):
        return self.next_api().operator(token, method, target, body, extra)

    def public(self, method, target, body=None):
        raw = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
        return request(self.next_api().port, method, target, raw, {"Content-Type": "application/json"})
