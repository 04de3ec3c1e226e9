#!/usr/bin/env python3
"""QR signing key rotation without downtime (SPEC R-S9, API.md `essc keys rotate`,
`essc keys status`, GET /v1/keys) against real servers under load:

  - settlements (each with a fresh payment code) run in other threads throughout, on one
    server (SQLite) or on two servers of one folder (PostgreSQL, with a POSTGRES_URL; a
    503 with retry_after is asked again as told);
  - `essc keys rotate --kind qr` while they run: within 5 s every new code of every
    server names the new key, with no restart and no failed request;
  - a code signed by the old key before the rotation still settles after it;
  - GET /v1/keys lists the new key without `not_after` and the old one with the
    `not_after` the command printed, until that time passes, and then no longer;
  - `essc keys status` names the current and the retired key; `essc audit verify` holds
    checkpoints signed by both.

Usage: qr_rotation_test.py ESSC_BINARY [POSTGRES_URL] [--keep]
"""

import base64
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from datetime import datetime

HERE = os.path.dirname(os.path.abspath(__file__))
for folder in ("crash", "cluster"):
    sys.path.insert(0, os.path.join(HERE, "..", folder))
from crash_test import Api, Ledger, definite_answer, fast_env, must, new_folder, prepare, request, start_load  # noqa: E402,E501
from two_servers import api_on, either_store_main, folder_servers  # noqa: E402

PICKUP_S_MAX = 5  # R-S9: every server of the folder within 5 s


def kid_of(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["kid"]


def rfc3339_s(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def run(essc, root, postgres_url):
    failures = []
    fail = failures.append
    data = os.path.join(root, "data")
    env = fast_env()
    _, channel, institutions = new_folder(essc, data, env)
    # A verb's whole outcome: exit status, standard output and error.
    cli = lambda *args: subprocess.run([essc, *args, "--data-dir", data], env=env,  # noqa: E731
                                       capture_output=True, text=True)
    servers = folder_servers(essc, data, env, postgres_url)
    ledger = Ledger()
    ledger.retry_unavailable = bool(postgres_url)
    stop = threading.Event()
    workers = []
    try:
        for s in servers:
            s.start()
        api = Api(servers[0].port)
        _, holders = prepare(api, servers[0].port, ledger, channel)
        keys_before = must(request(servers[0].port, "GET", "/v1/keys"), 200)["keys"]
        for i, s in enumerate(servers):
            workers += start_load(api_on(s.port, api), ledger, holders[1 + i::len(servers)], institutions,
                                  channel, stop, random.Random(11 + i))
        time.sleep(1)
        holder = holders[0]
        qr_target = f"/v1/ecards/{holder['binding']}/qrcodes"
        apis = [api_on(s.port, api) for s in servers]
        # The load shares the channel's and the institutions' quotas (R-S4): over them, each
        # call here waits as told.
        issue = lambda on=api: must(definite_answer(ledger, "qr code", lambda: on.signed(  # noqa: E731
            channel, "POST", qr_target, {"purpose": "payment"}, {"X-Essc-Session": holder["session"]}))[:2],
            201)["token"]
        old_code = issue()
        old_kid = kid_of(old_code)

        rotated = cli("keys", "rotate", "--kind", "qr")
        rotated_at = time.monotonic()
        if rotated.returncode != 0:
            return [f"essc keys rotate failed: {rotated.stderr}"]
        new_kid = re.search(r"qr key (\S+) \(Ed25519\) signs from now on", rotated.stdout)
        retired = re.search(r"qr key (\S+) retired; published in /v1/keys until (\S+)", rotated.stdout)
        if not new_kid or not retired or retired.group(1) != old_kid:
            return [f"essc keys rotate said: {rotated.stdout}"]
        new_kid, not_after = new_kid.group(1), retired.group(2)
        picked_up_s = 0
        for on in apis:
            while kid_of(issue(on)) != new_kid:
                if time.monotonic() - rotated_at > PICKUP_S_MAX:
                    fail(f"codes of {on.port} still name {old_kid} {PICKUP_S_MAX} s after the rotation")
                    break
                time.sleep(0.05)
            picked_up_s = time.monotonic() - rotated_at
            if any(kid_of(issue(on)) != new_kid for _ in range(5)):
                fail(f"a code of {on.port} named the old key after one had named the new")

        settled = must(definite_answer(ledger, "settlement", lambda: apis[-1].signed(
            institutions[1], "POST", "/v1/settlements",
            {"qr_token": old_code, "order_id": "rotation-old-code", "visit": "pharmacy",
             "items": [{"code": "X1", "name": "药品", "category": "A", "quantity": 1,
                        "unit_price_fen": 1000}]}))[:2], 201, 200)
        if settled.get("total_fen") != 1000:
            fail(f"a code of the old key, settled after the rotation: {settled}")

        for s in servers:
            keys = {k["kid"]: k for k in must(request(s.port, "GET", "/v1/keys"), 200)["keys"]}
            if new_kid not in keys or keys[new_kid]["not_after"] is not None:
                fail(f"/v1/keys of {s.port} after the rotation: {keys}")
            if old_kid not in keys or keys[old_kid]["not_after"] is None or \
                    abs(rfc3339_s(keys[old_kid]["not_after"]) - rfc3339_s(not_after)) > 1:
                fail(f"/v1/keys of {s.port} does not list {old_kid} until {not_after}: {keys}")
            if len(keys) != len(keys_before) + 1:
                fail(f"/v1/keys of {s.port} had {len(keys_before)} keys, now {len(keys)}")

        status = cli("keys", "status")
        if status.returncode != 0 or not re.search(rf"qr {new_kid} Ed25519 .* current", status.stdout) or \
                not re.search(rf"qr {old_kid} Ed25519 .* retired .* in /v1/keys until", status.stdout):
            fail(f"essc keys status: {status.returncode} {status.stdout} {status.stderr}")

        # The load has shown what it had to; the rest is a wait.
        stop.set()
        for w in workers:
            w.join(timeout=60)
        # The old key leaves /v1/keys once no code it signed can be valid.
        wait_s = rfc3339_s(not_after) - time.time() + 1
        time.sleep(max(0.0, wait_s))
        for s in servers:
            keys = {k["kid"] for k in must(request(s.port, "GET", "/v1/keys"), 200)["keys"]}
            if old_kid in keys or new_kid not in keys:
                fail(f"/v1/keys of {s.port} after {not_after}: {sorted(keys)}")
        status = cli("keys", "status")
        if not re.search(rf"qr {old_kid} .* no longer published", status.stdout):
            fail(f"essc keys status after {not_after}: {status.stdout}")
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
    verified = cli("audit", "verify")
    if verified.returncode != 0:
        fail(f"essc audit verify after the rotation: {verified.stderr}")
    print(f"new key in every server's codes {picked_up_s:.2f} s after the rotation; "
          f"{len(ledger.settled)} settlements, {sum(ledger.unavailable.values())} asked again after a 503")
    return failures


def main():
    return either_store_main("qr_keys", run)


if __name__ == "__main__":
    sys.exit(main())
