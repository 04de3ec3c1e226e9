#!/usr/bin/env python3
"""PII vault key rotation without downtime (SPEC R-S9, API.md `essc keys rotate --kind
pii`, `essc keys status`) against real servers under load:

  - settlements run in other threads throughout, on one server (SQLite) or on two servers
    of one folder (PostgreSQL, with a POSTGRES_URL; a 503 with retry_after is asked again
    as told);
  - `essc keys rotate --kind pii` while they run: within 5 s every server holds the
    retired key (`essc_pii_reseal_pending 1` in its /metrics), with no restart and no
    failed request; a second rotation meanwhile is refused (exit 1);
  - the servers re-seal every sealed field in the background, report it in /metrics and
    `essc keys status`, and then drop the retired key from the key file
    (`essc_pii_reseal_pending 0` on every server, no `retired_pii_keys` in keys.toml);
  - every sealed value of a row that existed before the rotation holds other bytes
    after it (sealed again), and every one opens without the old key: each cardholder's
    card face shows their name and ID number, before and after a restart of the servers
    on the new key file alone, and signed requests (the client secrets) still pass.

Usage: pii_rotation_test.py ESSC_BINARY [POSTGRES_URL] [--keep]
(POSTGRES_URL: a URL to an existing database; the test makes a database of its own there
and drops it)
"""

import os
import random
import re
import sqlite3
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
for folder in ("crash", "support", "cluster"):
    sys.path.insert(0, os.path.join(HERE, "..", folder))
from crash_test import Api, Ledger, definite_answer, fast_env, must, new_folder, prepare, request, start_load  # noqa: E402,E501
from psql_store import PsqlStore  # noqa: E402
from two_servers import api_on, either_store_main, folder_servers  # noqa: E402

PICKUP_S_MAX = 5  # R-S9: every server of the folder within 5 s
RESEAL_S_MAX = 90  # the servers' 10 s grace, then batches of 500 rows every 50 ms
# Every sealed column of the rows the test makes before the rotation.
SEALED = {
    "persons": ("person_id", ["id_number_sealed", "name_sealed", "phone_sealed"]),
    "cards": ("card_no", ["bank_account_sealed", "reserved_phone_sealed"]),
    "clients": ("client_id", ["secret_sealed", "webhook_secret_sealed"]),
}


def metric(port, name):
    status, body = request(port, "GET", "/metrics")
    found = re.search(rf"^{name} (\S+)$", body.decode() if status == 200 else "", re.M)
    return float(found.group(1)) if found else None


def sealed_values(data, postgres_url):
    """{(table, key, column): hex of the sealed bytes} of every non-null sealed value."""
    values = {}
    db = PsqlStore(postgres_url) if postgres_url else sqlite3.connect(os.path.join(data, "essc.db"))
    try:
        for table, (key, columns) in SEALED.items():
            shown = [f"encode({c}, 'hex')" if postgres_url else f"hex({c})" for c in columns]
            for row in db.execute(f"SELECT {key}, {', '.join(shown)} FROM {table}").fetchall():
                for column, value in zip(columns, row[1:]):
                    if value:
                        values[(table, str(row[0]), column)] = str(value).lower()
    finally:
        db.close()
    return values


def card_faces_match(api, ledger, channel, holders):
    """The holders whose revealed card face does not show their ID number. The channel's
    settlements may have used up its quota of the minute (R-S4): it waits as told."""
    wrong = []
    for h in holders:
        face = must(definite_answer(ledger, "card face", lambda: api.signed(
            channel, "GET", f"/v1/ecards/{h['binding']}/card-face?reveal=true", None,
            {"X-Essc-Session": h["session"]}))[:2], 200)
        if face.get("id_number") != h["id_number"] or not face.get("name", "").startswith("张"):
            wrong.append((h["id_number"], face))
    return wrong


def run(essc, root, postgres_url):
    failures = []
    fail = failures.append
    data = os.path.join(root, "data")
    env = fast_env()
    cli = lambda *args: subprocess.run([essc, *args, "--data-dir", data], env=env,  # noqa: E731
                                       capture_output=True, text=True)
    _, channel, institutions = new_folder(essc, data, env)
    servers = folder_servers(essc, data, env, postgres_url)
    ledger = Ledger()
    ledger.retry_unavailable = bool(postgres_url)
    picked_up = {}
    stop = threading.Event()
    workers = []
    resealed_s = None
    try:
        for s in servers:
            s.start()
        api = Api(servers[0].port)
        _, holders = prepare(api, servers[0].port, ledger, channel)
        for i, s in enumerate(servers):
            workers += start_load(api_on(s.port, api), ledger, holders[i::len(servers)], institutions, channel, stop,
                                  random.Random(5 + i))
        time.sleep(1)
        before = sealed_values(data, postgres_url)

        rotated = cli("keys", "rotate", "--kind", "pii")
        rotated_at = time.monotonic()
        if rotated.returncode != 0:
            return [f"essc keys rotate --kind pii failed: {rotated.stderr}"]
        new = re.search(r"pii key ([0-9a-f]{16}) seals from now on", rotated.stdout)
        old = re.search(r"pii key ([0-9a-f]{16}) retired", rotated.stdout)
        if not new or not old or new.group(1) == old.group(1):
            return [f"essc keys rotate --kind pii said: {rotated.stdout}"]
        new_id, old_id = new.group(1), old.group(1)

        while len(picked_up) < len(servers):
            for s in servers:
                if s.port not in picked_up and metric(s.port, "essc_pii_reseal_pending") == 1:
                    picked_up[s.port] = time.monotonic() - rotated_at
            if time.monotonic() - rotated_at > PICKUP_S_MAX:
                fail(f"servers {sorted(set(s.port for s in servers) - set(picked_up))} do not hold the "
                     f"retired key {PICKUP_S_MAX} s after the rotation")
                break
            time.sleep(0.05)

        again = cli("keys", "rotate", "--kind", "pii")
        if again.returncode != 1 or "still re-sealing" not in again.stderr:
            fail(f"a second rotation while re-sealing: {again.returncode} {again.stdout} {again.stderr}")
        status = cli("keys", "status")
        if status.returncode != 0 or not re.search(rf"^pii {new_id} current", status.stdout, re.M) or \
                not re.search(rf"^pii {old_id} retired", status.stdout, re.M) or \
                not re.search(r"^pii re-sealing persons: ", status.stdout, re.M):
            fail(f"essc keys status while re-sealing: {status.returncode} {status.stdout} {status.stderr}")

        while any(metric(s.port, "essc_pii_reseal_pending") != 0 for s in servers):
            if time.monotonic() - rotated_at > RESEAL_S_MAX:
                fail(f"re-sealing did not finish in {RESEAL_S_MAX} s")
                break
            time.sleep(0.2)
        resealed_s = time.monotonic() - rotated_at
        resealed_rows = sum(metric(s.port, 'essc_pii_reseal_rows_total{outcome="resealed"}') or 0
                            for s in servers)
        unreadable = sum(metric(s.port, 'essc_pii_reseal_rows_total{outcome="unreadable"}') or 0
                         for s in servers)
        if resealed_rows < len(before) or unreadable:
            fail(f"/metrics: {resealed_rows} values re-sealed of {len(before)} sealed before, {unreadable} unreadable")
        with open(os.path.join(data, "keys.toml")) as f:
            if "retired_pii_keys" in f.read():
                fail("keys.toml still holds the retired pii key after re-sealing")
        status = cli("keys", "status")
        if status.returncode != 0 or not re.search(rf"^pii {new_id} current", status.stdout, re.M) or \
                old_id in status.stdout:
            fail(f"essc keys status after re-sealing: {status.returncode} {status.stdout} {status.stderr}")

        after = sealed_values(data, postgres_url)
        unchanged = [k for k, v in before.items() if after.get(k) == v]
        missing = [k for k in before if k not in after]
        if unchanged or missing:
            fail(f"sealed values not re-sealed: {unchanged[:5]}; gone: {missing[:5]}")
        wrong = card_faces_match(api_on(servers[-1].port, api), ledger, channel, holders)
        if wrong:
            fail(f"card faces after re-sealing: {wrong[:2]}")
        time.sleep(1)  # settlements on the new key alone
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

    # A server started on the key file as it is now holds the new key alone.
    servers[0].start()
    try:
        if metric(servers[0].port, "essc_pii_reseal_pending") != 0:
            fail("a restarted server holds a retired pii key")
        wrong = card_faces_match(api_on(servers[0].port, api), ledger, channel, holders)
        if wrong:
            fail(f"card faces after a restart on the new key alone: {wrong[:2]}")
    finally:
        servers[0].stop()
    verified = cli("audit", "verify")
    if verified.returncode != 0:
        fail(f"essc audit verify after the rotation: {verified.stderr}")
    print(f"retired key held by every server after {max(picked_up.values(), default=-1):.2f} s; "
          f"re-sealing done and the key dropped after {resealed_s or -1:.1f} s; {len(before)} values sealed "
          f"before the rotation; {len(ledger.settled)} settlements, "
          f"{sum(ledger.unavailable.values())} asked again after a 503")
    return failures


def main():
    return either_store_main("pii_keys", run)


if __name__ == "__main__":
    sys.exit(main())
