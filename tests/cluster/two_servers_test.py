#!/usr/bin/env python3
"""Two `essc serve` processes on one PostgreSQL database, as a balancer would use them
(R-S2, R-U4, R-C1 across processes). Requests go to both at once:

  - the same signed request (same nonce) to both: exactly one is answered, the other is
    NONCE_REUSED;
  - the same order id, signed twice, to both: one settlement, charged once, both answers
    naming it;
  - the same card action on both (report-loss, then cancel-loss): it applies once, the
    other is INVALID_STATE_TRANSITION, and the e-card follows through either server;
  - a life-cycle change made through one server is seen at once through the other;
  - the folder's store got there by `essc store copy` from SQLite, which refuses a second
    copy into the now used database.

Usage: two_servers_test.py ESSC_BINARY POSTGRES_URL   (a URL to an existing database;
the test makes a database of its own there and drops it)
"""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "crash"))
sys.path.insert(0, os.path.dirname(__file__))
from crash_test import PASSWORD, Api, id_number, must, request  # noqa: E402
from two_servers import TwoServers, at_once  # noqa: E402

CLERK_PASSWORD = "two-servers-2026"


def main():
    essc, base_url = sys.argv[1], sys.argv[2]
    failures = []
    checks = [0]

    def fail(message):
        failures.append(message)

    def check(ok, message):
        checks[0] += 1
        if not ok:
            fail(message)
    with TwoServers(essc, base_url, "two_servers") as cluster:
        url, data = cluster.url, cluster.data
        # A city starts on the embedded store and moves to PostgreSQL (essc store copy).
        cluster.cli("operator", "add", "--username", "clerk", "--role", "hr_clerk", "--password", CLERK_PASSWORD)
        channel = cluster.client("--kind", "channel", "--name", "政务APP", "--channel-type", "gov")
        pharmacy = cluster.client("--kind", "institution", "--name", "海曙大药房", "--institution-type", "pharmacy",
                                  "--region-code", "330200")
        copied = cluster.copy_store()
        check("the audit log's tree is the same" in copied and url in open(os.path.join(data, "essc.toml")).read(),
              f"store copy: {copied}")
        other = os.path.join(cluster.root, "other")
        subprocess.run([essc, "init", "--data-dir", other], env=cluster.env, check=True, capture_output=True)
        again = subprocess.run([essc, "store", "copy", "--data-dir", other, "--to", url], env=cluster.env,
                               capture_output=True, text=True)
        check(again.returncode == 1 and "not empty" in again.stderr, f"a copy into a used store: {again.stderr}")
        servers = cluster.start()
        a, b = Api(servers[0].port), Api(servers[1].port)
        b.next_nonce = a.next_nonce  # one client's nonces, whichever server they go to
        token = must(request(a.port, "POST", "/v1/operator/sessions",
                             json.dumps({"username": "clerk", "password": CLERK_PASSWORD}).encode(),
                             {"Content-Type": "application/json"}), 200)["token"]
        # One cardholder, set up through alternating servers.
        person = id_number("33020319900307001")
        must(a.operator(token, "POST", "/v1/persons", {"name": "张三", "id_number": person, "region_code": "330200",
                                                      "photo_on_file": {"police": True, "cardholder": True}}), 201)
        card = must(b.operator(token, "POST", "/v1/cards", {"id_number": person, "bank_code": "NBCB"}),
                    201)["card_no"]
        must(a.operator(token, "POST", f"/v1/cards/{card}/collect"), 200)
        must(b.operator(token, "POST", f"/v1/cards/{card}/activate", {"hr_pin": "975310"}), 200)
        must(a.operator(token, "POST", "/v1/accounts/medical/credits",
                        {"id_number": person, "amount_fen": 100000, "memo": "个人账户划入"}), 200)
        vid = must(b.signed(channel, "POST", "/v1/verifications",
                            {"purpose": "issue", "name": "张三", "id_number": person}), 201)["verification_id"]
        must(a.signed(channel, "POST", f"/v1/verifications/{vid}/face", {"image_base64": "ZmFjZQ=="}), 200)
        binding = must(b.signed(channel, "POST", "/v1/ecards", {"verification_id": vid, "password": PASSWORD}),
                       201)["binding_id"]
        session = must(a.signed(channel, "POST", f"/v1/ecards/{binding}/sessions", {"password": PASSWORD}),
                       201)["session_token"]

        # The same signed request to both servers at once: one answer, one NONCE_REUSED.
        target = f"/v1/ecards/{binding}/qrcodes"
        for _ in range(10):
            raw = json.dumps({"purpose": "payment", "png": False}).encode()
            headers = a.sign(channel, "POST", target, raw)
            headers["X-Essc-Session"] = session
            answers = at_once(lambda: request(a.port, "POST", target, raw, headers),
                              lambda: request(b.port, "POST", target, raw, headers))
            statuses = sorted(status for status, _ in answers)
            reused = [body["error"]["code"] for status, body in answers if status == 401]
            check(statuses == [201, 401] and reused == ["NONCE_REUSED"], f"one signed request to two servers: {answers}")

        # The same order id to both at once: one settlement, charged once.
        for n in range(5):
            code = must(a.signed(channel, "POST", target, {"purpose": "payment", "png": False},
                                 {"X-Essc-Session": session}), 201)["token"]
            bill = {"qr_token": code, "order_id": f"twin-{n}", "visit": "pharmacy",
                    "items": [{"code": "A1", "name": "药", "category": "A", "quantity": 1, "unit_price_fen": 1000}]}
            answers = at_once(lambda: a.signed(pharmacy, "POST", "/v1/settlements", bill),
                              lambda: b.signed(pharmacy, "POST", "/v1/settlements", bill))
            ids = {body.get("settlement_id") for status, body in answers if status in (200, 201)}
            check(sorted(s for s, _ in answers) in ([200, 201], [201, 201]) and len(ids) == 1,
                  f"order twin-{n} to two servers: {answers}")
        account = must(b.signed(channel, "GET", f"/v1/ecards/{binding}/account"), 200)
        check(account["medical_account_balance_fen"] == 100000 - 5 * 1000,
              f"five orders, each charged once, should leave 95000 fen: {account}")

        # The same card action on both servers at once: it applies once, the other finds
        # the card already changed (R-C1); the e-card follows through either server.
        for _ in range(5):
            for action, after, ecard_after in (("report-loss", "lost", "suspended"), ("cancel-loss", "active", "usable")):
                answers = at_once(lambda: a.operator(token, "POST", f"/v1/cards/{card}/{action}"),
                                  lambda: b.operator(token, "POST", f"/v1/cards/{card}/{action}"))
                won = [body["status"] for status, body in answers if status == 200]
                lost = [body["error"]["code"] for status, body in answers if status == 409]
                check(won == [after] and lost == ["INVALID_STATE_TRANSITION"], f"{action} twice at once: {answers}")
                seen = must(b.operator(token, "GET", f"/v1/cards/{card}"), 200)["status"]
                check(seen == after, f"after {action} the card is {seen}")
                ecard = must(a.signed(channel, "GET", f"/v1/ecards/{binding}"), 200)["status"]
                check(ecard == ecard_after, f"after {action} the e-card is {ecard} through the other server")
        check(must(b.signed(channel, "GET", f"/v1/ecards/{binding}"), 200)["status"] == "usable",
              "the restored card's e-card is not usable through the other server")
    for f in failures:
        print("FAIL", f)
    print(f"{checks[0] - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
