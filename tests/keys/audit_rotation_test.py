#!/usr/bin/env python3
"""Audit log key rotation without downtime (SPEC R-S9, API.md `essc keys rotate --kind
audit`, GET /v1/audit/key, `essc audit witness serve --log`) against real servers under
load, with a witness (`essc audit witness serve`) cosigning their checkpoints:

  - settlements run in other threads throughout, on one server (SQLite) or on two servers
    of one folder (PostgreSQL, with a POSTGRES_URL; a 503 with retry_after, the answer
    to writes that still conflict after the store's retries, is asked again as told);
  - `essc keys rotate --kind audit` while they run: within 5 s every server's newest
    checkpoint is signed by the new key (its signature's key hash is the new vkey's),
    with no restart and no failed request; GET /v1/audit/key answers the new vkey and
    lists the old one as retired;
  - the witness, told only the old key, refuses the new key's checkpoints; restarted by
    its operator with the old and the new key (`--log OLD --log NEW`), it cosigns the
    newest checkpoint as an extension of what it held;
  - every checkpoint stored, before and after, verifies here (Python's own Ed25519)
    with exactly one of the two keys, the ones before the rotation with the old key;
  - `essc keys status` names both keys; `essc audit verify` passes, held against the
    witness.

Usage: audit_rotation_test.py ESSC_BINARY [POSTGRES_URL] [--keep]
(POSTGRES_URL: a URL to an existing database; the test makes a database of its own there
and drops it)
"""

import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
for folder in ("crash", "support", "witness", "cluster"):
    sys.path.insert(0, os.path.join(HERE, "..", folder))
from crash_test import Api, Ledger, Server, fast_env, must, new_folder, prepare, request, start_load  # noqa: E402,E501
from psql_store import PsqlStore  # noqa: E402
from rollback_test import Process  # noqa: E402
from signed_note import verify_checkpoint  # noqa: E402
from two_servers import api_on, either_store_main, free_port  # noqa: E402

PICKUP_S_MAX = 5  # R-S9: every server of the folder within 5 s
EM_DASH = "\u2014"


def signed_by(note, vkey):
    """True when `vkey` signed the checkpoint `note`."""
    try:
        verify_checkpoint(note, vkey)
        return True
    except Exception:  # noqa: BLE001 - any failure is "not signed by it"
        return False


def checkpoint(port):
    status, body = request(port, "GET", "/v1/audit/checkpoint")
    return body.decode() if status == 200 else ""


def stored_checkpoints(data, postgres_url):
    sql = "SELECT size, note FROM audit_checkpoints ORDER BY size"
    if postgres_url:
        return [(int(size), note.replace("\\n", "\n")) for size, note in PsqlStore(postgres_url).execute(
            "SELECT size, replace(note, E'\\n', '\\n') FROM audit_checkpoints ORDER BY size")]
    db = sqlite3.connect(os.path.join(data, "essc.db"))
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def run(essc, root, postgres_url):
    failures = []
    fail = failures.append
    data = os.path.join(root, "data")
    wdir = os.path.join(root, "witness")
    env = fast_env()
    cli = lambda *args: subprocess.run([essc, *args, "--data-dir", data], env=env,  # noqa: E731
                                       capture_output=True, text=True)
    _, channel, institutions = new_folder(essc, data, env)
    if postgres_url:
        copied = cli("store", "copy", "--to", postgres_url)
        if copied.returncode != 0:
            return [f"essc store copy: {copied.stderr}"]
    witness_vkey = subprocess.run([essc, "audit", "witness", "init", "--data-dir", wdir, "--name", "witness.test/w1"],
                                  capture_output=True, text=True, check=True).stdout.strip()
    servers = [Server(essc, data, free_port(), env)]
    servers[0].start()
    old_vkey = must(request(servers[0].port, "GET", "/v1/audit/key"), 200)["vkey"]
    servers[0].stop()
    witness = Process([essc, "audit", "witness", "serve", "--data-dir", wdir, "--listen", "127.0.0.1:0",
                       "--log", old_vkey])
    env["ESSC_AUDIT_WITNESSES"] = f"{witness.url} {witness_vkey}"
    servers = [Server(essc, data, free_port(), env) for _ in range(2 if postgres_url else 1)]
    for i, s in enumerate(servers):
        s.starts = 100 * (i + 1)  # each its own log, serve-100.log and serve-200.log
    ledger = Ledger()
    # Two servers' settlements conflict in PostgreSQL's serializable transactions; one that
    # still conflicts after the store's retries is answered 503 with retry_after, and a
    # client asks again, as it is told.
    ledger.retry_unavailable = bool(postgres_url)
    picked_up = {}
    switch = 0
    stop = threading.Event()
    workers = []
    try:
        for s in servers:
            s.start()
        api = Api(servers[0].port)
        _, holders = prepare(api, servers[0].port, ledger, channel)
        # Each server its own cardholders; one client's nonces across both.
        for i, s in enumerate(servers):
            workers += start_load(api_on(s.port, api), ledger, holders[i::len(servers)], institutions, channel, stop,
                                  random.Random(7 + i))

        # The witness cosigns under the old key first.
        deadline = time.monotonic() + 20
        while EM_DASH + " witness.test/w1 " not in checkpoint(servers[0].port):
            if time.monotonic() > deadline:
                return [f"no cosigned checkpoint before the rotation: {checkpoint(servers[0].port)}"]
            time.sleep(0.2)
        witnessed_before = witness.get("/checkpoint").decode()
        size_before = verify_checkpoint(witnessed_before, old_vkey)[1]

        rotated = cli("keys", "rotate", "--kind", "audit")
        rotated_at = time.monotonic()
        if rotated.returncode != 0:
            return [f"essc keys rotate --kind audit failed: {rotated.stderr}"]
        new = re.search(r"audit key (\S+) signs the next checkpoint", rotated.stdout)
        retired = re.search(r"audit key (\S+) retired ([^;\s]+);", rotated.stdout)
        told = re.search(r"--log (\S+) --log (\S+)`", rotated.stdout)
        if not new or not retired or retired.group(1) != old_vkey or not told or \
                told.groups() != (old_vkey, new.group(1)):
            return [f"essc keys rotate --kind audit said: {rotated.stdout}"]
        new_vkey = new.group(1)
        if new_vkey.split("+")[0] != old_vkey.split("+")[0] or new_vkey == old_vkey:
            fail(f"the new key {new_vkey} is not another key of the same name as {old_vkey}")

        # Every server takes the new key within 5 s (its /v1/audit/key says so), and the
        # newest checkpoint is signed by it; writes keep coming, so each newest checkpoint
        # is a fresh signature (on PostgreSQL, by whichever server sequences the log).
        while len(picked_up) < len(servers):
            for s in servers:
                if s.port not in picked_up and \
                        must(request(s.port, "GET", "/v1/audit/key"), 200)["vkey"] == new_vkey and \
                        signed_by(checkpoint(s.port), new_vkey):
                    picked_up[s.port] = time.monotonic() - rotated_at
            if time.monotonic() - rotated_at > PICKUP_S_MAX + 1:  # + a checkpoint's second
                fail(f"servers {sorted(set(s.port for s in servers) - set(picked_up))} still sign with "
                     f"the old key {PICKUP_S_MAX} s after the rotation")
                break
            time.sleep(0.05)
        for s in servers:
            key = must(request(s.port, "GET", "/v1/audit/key"), 200)
            keys = key.get("keys", [])
            if key["vkey"] != new_vkey or [k["vkey"] for k in keys] != [new_vkey, old_vkey] or \
                    keys[0]["retired_at"] is not None or keys[1]["retired_at"] != retired.group(2):
                fail(f"/v1/audit/key of server {s.port} after the rotation: {key}")

        # The witness was told nothing: it refuses the new key's checkpoints.
        time.sleep(2)
        held = witness.get("/checkpoint").decode()
        if not signed_by(held, old_vkey) or signed_by(held, new_vkey):
            fail(f"a witness given only the old key cosigned a checkpoint of the new: {held}")
        # Its operator restarts it with both keys; it cosigns the new key's checkpoints.
        witness.stop()
        witness = Process([essc, "audit", "witness", "serve", "--data-dir", wdir, "--listen",
                           witness.url.removeprefix("http://"), "--log", old_vkey, "--log", new_vkey])
        deadline = time.monotonic() + 20
        held = ""
        while not signed_by(held, new_vkey):
            if time.monotonic() > deadline:
                fail(f"the witness given the new key did not cosign its checkpoints: {held}")
                break
            time.sleep(0.2)
            held = witness.get("/checkpoint").decode()
        if signed_by(held, new_vkey) and verify_checkpoint(held, new_vkey)[1] <= size_before:
            fail(f"the witness's checkpoint of the new key does not extend size {size_before}")

        status = cli("keys", "status")
        if status.returncode != 0 or \
                not re.search(rf"audit {re.escape(new_vkey)} current", status.stdout) or \
                not re.search(rf"audit {re.escape(old_vkey)} retired", status.stdout):
            fail(f"essc keys status: {status.returncode} {status.stdout} {status.stderr}")
    finally:
        stop.set()
        for w in workers:
            w.join(timeout=60)
        for s in servers:
            s.stop()
    if ledger.errors or ledger.server_errors:
        fail(f"requests failed during the rotation: {ledger.errors[:3]} {dict(ledger.server_errors)}")
    if len(ledger.settled) < 10:
        fail(f"only {len(ledger.settled)} settlements ran during the test")

    # Every stored checkpoint verifies with exactly one of the keys; the old key's come first.
    stored = stored_checkpoints(data, postgres_url)
    signers = []
    for size, note in stored:
        by = [v for v in (old_vkey, new_vkey) if signed_by(note, v)]
        if len(by) != 1:
            fail(f"the checkpoint of size {size} verifies with {len(by)} of the two keys: {note!r}")
        signers.append(by[0] if by else None)
    switch = signers.index(new_vkey) if new_vkey in signers else len(signers)
    # On PostgreSQL a server whose key file is a watch behind does not sign after a
    # checkpoint of the new key (services/audit_sequencer.cpp): no old key after the switch.
    if old_vkey not in signers[:switch] or any(v != new_vkey for v in signers[switch:]) or switch == len(signers):
        fail(f"the checkpoints' signers in order: {[('old' if v == old_vkey else 'new') for v in signers]}")

    verified = cli("audit", "verify")
    if verified.returncode != 0 or "1 witnesses' checkpoints" not in verified.stdout:
        fail(f"essc audit verify after the rotation: {verified.returncode} {verified.stdout} {verified.stderr}")
    witness.stop()
    print(f"new key on every server after {max(picked_up.values(), default=-1):.2f} s; "
          f"{len(stored)} checkpoints ({switch} by the old key); {len(ledger.settled)} settlements, "
          f"{sum(ledger.unavailable.values())} asked again after a 503")
    return failures


def main():
    return either_store_main("audit_keys", run)


if __name__ == "__main__":
    sys.exit(main())
