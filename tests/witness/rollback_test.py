#!/usr/bin/env python3
"""The attack a witness exists for (SPEC R-S6, R-S7), end to end with `essc serve`, `essc
audit witness serve` and `essc audit verify`, and the log's proofs checked here with
Python's hashlib (RFC 9162), apart from the C++:

  - the server sends its checkpoints to the witness ([audit] witnesses) and publishes the
    cosignature: GET /v1/audit/checkpoint carries it, and the witness's own checkpoint
    is the same tree;
  - the tree of the public leaf tiles has the checkpoint's root; every inclusion proof
    and the consistency proof from an earlier checkpoint verify here;
  - `essc audit verify` holds the log against the witness and passes;
  - the server stopped, the database file rolled back to an earlier copy (no checkpoint
    file exists to wipe: they are in the database, rolled back with it): `essc audit
    verify` fails, because the witness holds a longer tree.

Usage: rollback_test.py ESSC_BINARY
"""

import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from rfc9162 import leaf_hash, mth, sha256, verify_consistency, verify_inclusion  # noqa: E402

EM_DASH = "\u2014"
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


def checkpoint_of(note):
    origin, size, root = note.split("\n")[:3]
    return origin, int(size), base64.b64decode(root)


class Process:
    def __init__(self, args, env=None):
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, env=env)
        deadline = time.time() + 30
        while time.time() < deadline:
            line = self.process.stdout.readline()
            found = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
            if found:
                self.url = found.group(1)
                self.first_line = line
                return
            if not line and self.process.poll() is not None:
                break
        raise RuntimeError("did not start: " + " ".join(args) + " " + self.process.stderr.read())

    def get(self, path):
        with urllib.request.urlopen(self.url + path, timeout=10) as reply:
            return reply.read()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=60)


def main():
    essc = sys.argv[1]
    root = tempfile.mkdtemp(prefix="essc-rollback-", dir=os.environ.get("ESSC_TEST_TMP"))
    data, wdir = os.path.join(root, "data"), os.path.join(root, "witness")
    env = dict(os.environ)

    def cli(*args, expect=0):
        result = subprocess.run([essc, *args], capture_output=True, text=True, env=env)
        if result.returncode != expect:
            raise RuntimeError(f"essc {' '.join(args)}: {result.returncode} {result.stderr}")
        return result

    def add_client(name):
        cli("client", "add", "--data-dir", data, "--kind", "institution", "--name", name,
            "--institution-type", "pharmacy")

    try:
        cli("init", "--data-dir", data)
        add_client("药房一")
        server = Process([essc, "serve", "--data-dir", data, "--listen", "127.0.0.1:0"], env)
        key = json.loads(server.get("/v1/audit/key"))
        early_note = ""
        deadline = time.time() + 10
        while not early_note and time.time() < deadline:
            try:
                early_note = server.get("/v1/audit/checkpoint").decode()
            except urllib.error.HTTPError:
                time.sleep(0.1)
        server.stop()
        _, early_size, early_root = checkpoint_of(early_note)
        check(key["origin"] == "essc.local/330200" and key["vkey"].startswith(key["origin"] + "+"),
              f"the log's key is published: {key['vkey']}")
        check(early_size > 0, f"the first checkpoint covers the entries made before ({early_size})")
        early = os.path.join(root, "early.db")
        shutil.copy(os.path.join(data, "essc.db"), early)

        witness_vkey = cli("audit", "witness", "init", "--data-dir", wdir,
                           "--name", "witness.test/w1").stdout.strip()
        witness = Process([essc, "audit", "witness", "serve", "--data-dir", wdir,
                           "--listen", "127.0.0.1:0", "--log", key["vkey"]])
        env["ESSC_AUDIT_WITNESSES"] = f"{witness.url} {witness_vkey}"
        for i in range(3):
            add_client(f"药房{i + 2}")
        server = Process([essc, "serve", "--data-dir", data, "--listen", "127.0.0.1:0"], env)
        note, witnessed = "", ""
        deadline = time.time() + 20
        while time.time() < deadline:
            note = server.get("/v1/audit/checkpoint").decode()
            if EM_DASH + " witness.test/w1 " in note:
                witnessed = witness.get("/checkpoint?origin=" + key["origin"]).decode()
                break
            time.sleep(0.2)
        check(EM_DASH + " witness.test/w1 " in note, "the checkpoint carries the witness's cosignature")
        origin, size, tree_root = checkpoint_of(note)
        check(checkpoint_of(witnessed)[1:] == (size, tree_root),
              f"the witness holds the same tree of {size} entries")
        check(size > early_size, "the tree grew past the earlier copy")

        # The leaves from the public tiles; their tree, proofs and consistency, here.
        tile = server.get(f"/v1/audit/tile/0/000.p/{size}")
        leaves = [tile[i:i + 32] for i in range(0, len(tile), 32)]
        check(len(leaves) == size and mth(leaves) == tree_root,
              "the leaf tile's tree has the checkpoint's root")
        proofs_hold = True
        for i in range(size):
            answer = json.loads(server.get(f"/v1/audit/proof?index={i}&size={size}"))
            proof = [base64.b64decode(p) for p in answer["inclusion"]]
            proofs_hold &= verify_inclusion(i, size, leaves[i], proof, tree_root)
            proofs_hold &= not verify_inclusion(i, size, leaf_hash(b"forged"), proof, tree_root)
        check(proofs_hold, f"all {size} inclusion proofs verify here, and none for a forged leaf")
        answer = json.loads(server.get(f"/v1/audit/consistency?from={early_size}&to={size}"))
        proof = [base64.b64decode(p) for p in answer["consistency"]]
        check(verify_consistency(early_size, size, early_root, tree_root, proof)
              and not verify_consistency(early_size, size, sha256(b"other"), tree_root, proof),
              f"the consistency proof {early_size}->{size} verifies here")
        server.stop()

        verified = cli("audit", "verify", "--data-dir", data)
        check("1 witnesses' checkpoints" in verified.stdout, "audit verify holds the log against the witness: "
              + verified.stdout.strip())

        for suffix in ("", "-wal", "-shm"):
            path = os.path.join(data, "essc.db" + suffix)
            if os.path.exists(path):
                os.remove(path)
        shutil.copy(early, os.path.join(data, "essc.db"))
        rolled_back = cli("audit", "verify", "--data-dir", data, expect=1)
        check("witness" in rolled_back.stderr and "removed" in rolled_back.stderr,
              "after a rollback, audit verify fails on the witness's longer tree: "
              + rolled_back.stderr.strip())
        witness.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    if failures:
        print(f"{len(failures)} failed")
        sys.exit(1)
    print("all passed")


if __name__ == "__main__":
    main()
