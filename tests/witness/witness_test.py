#!/usr/bin/env python3
"""`essc audit witness init|serve` (SPEC R-S7, c2sp.org/tlog-witness) as a log sees it,
with a log, its checkpoints and its RFC 9162 consistency proofs made here, apart from
the C++ (Ed25519 from Python's `cryptography`):

  - init: the folder 0700, key and config 0600, the vkey printed; a second init of the
    same folder and a malformed name are refused; so is serve with a --log that is not a
    log's key;
  - serve: the first checkpoint and extensions are cosigned, and each cosignature
    verifies here with the printed vkey; a stale old size is 409 text/x.tlog.size with
    the size held; a fork of the same size is 409; a larger tree that rewrites the past
    is 422; another key is 403; another origin 404; old above the size 400;
    GET /checkpoint answers the latest note with the log's signature and the witness's;
  - crashes: the server killed with SIGKILL while extensions arrive, then restarted, holds
    at least the largest size it acknowledged, a checkpoint it was sent, and goes on.

Usage: witness_test.py ESSC_BINARY [--kills N]
"""

import argparse
import base64
import hashlib
import http.client
import os
import random
import shutil
import signal
import socket
import stat
import struct
import subprocess
import sys
import tempfile
import threading
import time

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from rfc9162 import consistency_subproof, leaf_hash, mth  # noqa: E402

ORIGIN = "essc.test/330200"
EM_DASH = "\u2014"


def key_hash(name, key_type, public_key):
    return hashlib.sha256(name.encode() + b"\n" + bytes([key_type]) + public_key).digest()[:4]


class Log:
    """A log of leaves "<prefix> <i>" signed by a fixed Ed25519 key."""

    def __init__(self, seed=bytes([7] * 32)):
        self.key = Ed25519PrivateKey.from_private_bytes(seed)
        self.public_key = self.key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    def vkey(self):
        return "%s+%s+%s" % (ORIGIN, key_hash(ORIGIN, 1, self.public_key).hex(),
                             base64.b64encode(b"\x01" + self.public_key).decode())

    @staticmethod
    def leaves(size, prefix="entry"):
        return [leaf_hash(("%s %d" % (prefix, i)).encode())
                for i in range(size)]

    def note(self, size, prefix="entry", origin=ORIGIN):
        body = "%s\n%d\n%s\n" % (origin, size, base64.b64encode(mth(self.leaves(size, prefix))).decode())
        payload = key_hash(origin, 1, self.public_key) + self.key.sign(body.encode())
        return body + "\n%s %s %s\n" % (EM_DASH, origin, base64.b64encode(payload).decode())

    def request(self, old, size, prefix="entry", proof_prefix=None):
        leaves = self.leaves(size, proof_prefix or prefix)
        proof = consistency_subproof(old, leaves, True) if 0 < old < size else []
        lines = "".join(base64.b64encode(h).decode() + "\n" for h in proof)
        return "old %d\n%s\n%s" % (old, lines, self.note(size, prefix))


def verify_cosignature(note, line, vkey):
    """The timestamp of the cosignature/v1 `line` of `note` by `vkey`; fails otherwise."""
    name, hash_hex, typed = vkey.split("+", 2)
    typed = base64.b64decode(typed)
    assert typed[0] == 4, vkey
    prefix = "%s %s " % (EM_DASH, name)
    assert line.startswith(prefix) and line.endswith("\n"), repr(line)
    raw = base64.b64decode(line[len(prefix):-1])
    assert raw[:4].hex() == hash_hex and len(raw) == 4 + 8 + 64, line
    timestamp = struct.unpack(">Q", raw[4:12])[0]
    body = note.split("\n\n", 1)[0] + "\n"
    message = ("cosignature/v1\ntime %d\n" % timestamp).encode() + body.encode()
    Ed25519PublicKey.from_public_bytes(typed[1:]).verify(raw[12:], message)
    return timestamp


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Witness:
    def __init__(self, essc, folder, log_vkey):
        self.essc, self.folder, self.log_vkey = essc, folder, log_vkey
        self.port, self.process = free_port(), None

    def start(self):
        self.process = subprocess.Popen(
            [self.essc, "audit", "witness", "serve", "--data-dir", self.folder, "--listen",
             "127.0.0.1:%d" % self.port, "--log", self.log_vkey], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline()
        assert "listening on" in line, line

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)

    def call(self, method, path, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request(method, path, body=body.encode() if body is not None else None)
        reply = connection.getresponse()
        answer = (reply.status, reply.getheader("Content-Type"), reply.read().decode())
        connection.close()
        return answer

    def add(self, request):
        return self.call("POST", "/add-checkpoint", request)


def essc_run(essc, *args):
    return subprocess.run([essc, *args], capture_output=True, text=True)


def check_init(essc, folder, log):
    made = essc_run(essc, "audit", "witness", "init", "--data-dir", folder, "--name", "witness.test/w1")
    assert made.returncode == 0, made.stderr
    vkey = made.stdout.strip()
    assert vkey.startswith("witness.test/w1+"), vkey
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    for name in ("witness.key", "witness.toml"):
        assert stat.S_IMODE(os.stat(os.path.join(folder, name)).st_mode) == 0o600, name
    again = essc_run(essc, "audit", "witness", "init", "--data-dir", folder, "--name", "witness.test/w1")
    assert again.returncode == 1 and "never replaced" in again.stderr, again
    other = folder + "-bad"
    refused = essc_run(essc, "audit", "witness", "init", "--data-dir", other, "--name", "two words")
    assert refused.returncode != 0 and not os.path.exists(other), refused
    for bad in (ORIGIN, vkey, "%s=%s" % (ORIGIN, vkey), "=" + log.vkey()):  # vkey: a witness's key
        refused = essc_run(essc, "audit", "witness", "serve", "--data-dir", folder, "--log", bad)
        assert refused.returncode == 1 and "--log" in refused.stderr, (bad, refused)
    return vkey


def check_protocol(witness, log, vkey):
    assert witness.call("GET", "/checkpoint")[0] == 404
    status, _, line = witness.add(log.request(0, 3))
    assert status == 200, line
    verify_cosignature(log.note(3), line, vkey)
    status, _, line = witness.add(log.request(3, 7))
    assert status == 200, line
    verify_cosignature(log.note(7), line, vkey)
    assert witness.add(log.request(3, 9)) == (409, "text/x.tlog.size", "7\n")
    fork = witness.add(log.request(7, 7, prefix="rewritten"))
    assert fork[0] == 409 and fork[1] != "text/x.tlog.size", fork
    assert witness.add(log.request(7, 12, prefix="rewritten"))[0] == 422
    assert witness.add(log.request(7, 12, prefix="rewritten", proof_prefix="entry"))[0] == 422
    assert witness.add(Log(bytes([9] * 32)).request(7, 12))[0] == 403
    assert witness.add("old 0\n\n" + log.note(3, origin="essc.test/other"))[0] == 404
    assert witness.add(log.request(9, 8))[0] == 400
    assert witness.add("old 7\nnot base64\n\n" + log.note(12))[0] == 400
    status, content_type, note = witness.call("GET", "/checkpoint?origin=" + ORIGIN.replace("/", "%2F"))
    assert status == 200 and content_type.startswith("text/plain"), (status, content_type)
    assert note.startswith(log.note(7)), note
    verify_cosignature(note, note.splitlines(keepends=True)[-1], vkey)


def check_crashes(witness, log, vkey, kills):
    """Extensions from two threads while the server is killed; what it acknowledged stays."""
    acknowledged = [7]
    lock = threading.Lock()
    rng = random.Random(20261204)

    def push(stop):
        while not stop.is_set():
            with lock:
                old = acknowledged[-1]
            size = old + rng.randint(1, 40)
            try:
                status, _, body = witness.add(log.request(old, size))
            except (ConnectionError, http.client.HTTPException, OSError):
                continue
            with lock:
                if status == 200:
                    acknowledged.append(max(acknowledged[-1], size))
                elif status == 409:  # the other thread moved it on: the size it now holds
                    acknowledged.append(max(acknowledged[-1], int(body)))
                else:
                    raise AssertionError((status, body))

    for _ in range(kills):
        stop = threading.Event()
        threads = [threading.Thread(target=push, args=(stop,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        time.sleep(rng.uniform(0.05, 0.4))
        witness.kill()
        stop.set()
        for thread in threads:
            thread.join()
        floor = acknowledged[-1]
        witness.start()
        status, _, note = witness.call("GET", "/checkpoint")
        assert status == 200, note
        held = int(note.split("\n")[1])
        assert held >= floor, (held, floor)
        assert note.startswith(log.note(held)), note
        verify_cosignature(note, note.splitlines(keepends=True)[-1], vkey)
        acknowledged.append(held)
    return acknowledged[-1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("essc")
    parser.add_argument("--kills", type=int, default=10)
    args = parser.parse_args()
    base = os.environ.get("ESSC_TEST_TMP") or tempfile.gettempdir()
    os.makedirs(base, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="essc-witness-", dir=base)
    witness = None
    try:
        log = Log()
        folder = os.path.join(workdir, "witness")
        vkey = check_init(args.essc, folder, log)
        witness = Witness(args.essc, folder, log.vkey())
        witness.start()
        check_protocol(witness, log, vkey)
        size = check_crashes(witness, log, vkey, args.kills)
        witness.stop()
        witness = None
        print("witness ok: cosigned up to %d leaves across %d kills" % (size, args.kills))
    finally:
        if witness and witness.process and witness.process.poll() is None:
            witness.kill()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
