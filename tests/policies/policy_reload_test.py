#!/usr/bin/env python3
"""A region's policy file edited while `essc serve` runs takes effect without a restart
(SPEC R-K1: thresholds per region in its policy file, reloaded on every server of the
folder; R-S4 and R-K4 enforce them):

  - lowering `daily_settlement_limit` below what a cardholder settled today refuses their
    next settlement with RISK_VELOCITY_LIMIT within 5 s; GET /v1/risk/rules shows the new
    value and an `[[item_limits]]` cap added with it;
  - a file that does not load (an unknown key) leaves the policies in force, and the
    server's log names the file and the line;
  - mending the file puts it in force again.

Usage: policy_reload_test.py ESSC_BINARY [--workdir DIR] [--keep]
"""

import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "crash"))
from crash_test import (CLERK_PASSWORD, REGION, fast_env, folder_test_main, must, new_folder,  # noqa: E402
                        request, serve_prepared)

PICKUP_S_MAX = 5


def run(essc, root):
    failures = []
    fail = failures.append
    data = os.path.join(root, "data")
    env = dict(fast_env(), ESSC_LOG_LEVEL="info")
    cli, channel, institutions = new_folder(essc, data, env)
    cli("operator", "add", "--username", "admin", "--role", "admin", "--password", CLERK_PASSWORD)
    policy_file = os.path.join(data, "policies", f"{REGION}.toml")
    with open(policy_file) as f:
        original = f.read()
    server, api, _, _, holders = serve_prepared(essc, data, env, channel)
    try:
        admin = must(request(server.port, "POST", "/v1/operator/sessions",
                             json.dumps({"username": "admin", "password": CLERK_PASSWORD}).encode(),
                             {"Content-Type": "application/json"}), 200)["token"]
        holder = holders[0]
        pharmacy = next(i for i in institutions if i["kind"] == "pharmacy")
        orders = iter(range(1, 1000))

        def settle():
            code = must(api.signed(channel, "POST", f"/v1/ecards/{holder['binding']}/qrcodes",
                                   {"purpose": "payment"}, {"X-Essc-Session": holder["session"]}), 201)["token"]
            bill = {"qr_token": code, "order_id": f"reload-{next(orders)}", "visit": "pharmacy",
                    "items": [{"code": "YP-1", "name": "药品", "category": "A", "quantity": 1,
                               "unit_price_fen": 100}]}
            return api.signed(pharmacy, "POST", "/v1/settlements", bill)

        def rules():
            items = must(api.operator(admin, "GET", "/v1/risk/rules"), 200)["items"]
            return next(r["rules"] for r in items if r["region_code"] == REGION)

        def day_max():
            return next(r["settlements_per_day_max"] for r in rules() if r["rule"] == "RISK_VELOCITY_LIMIT")

        def until(what, check):
            deadline = time.monotonic() + PICKUP_S_MAX
            while not check():
                if time.monotonic() > deadline:
                    fail(f"{what}: not in force {PICKUP_S_MAX} s after the file changed")
                    return False
                time.sleep(0.1)
            return True

        must(settle(), 201)
        must(settle(), 201)
        if day_max() != 10000:
            fail(f"settlements_per_day_max {day_max()} before the edit, not the file's 10000")

        with open(policy_file, "w") as f:
            f.write(original.replace("daily_settlement_limit = 10000", "daily_settlement_limit = 2") +
                    '\n[[item_limits]]\ncode = "YP-ATV-20"\nmax_quantity = 60\nwindow_days = 30\n')
        if until("daily_settlement_limit = 2", lambda: day_max() == 2):
            status, body = settle()
            if status != 422 or body["error"]["code"] != "RISK_VELOCITY_LIMIT":
                fail(f"a third settlement under a limit of 2: {status} {body}")
            caps = [r for r in rules() if r["rule"] == "ITEM_QUANTITY_LIMIT"]
            if caps != [{"rule": "ITEM_QUANTITY_LIMIT", "item_code": "YP-ATV-20", "max_quantity": 60,
                         "window_days": 30}]:
                fail(f"the added cap reads {caps}")

        with open(policy_file) as f:
            edited = f.read()
        with open(policy_file, "w") as f:
            f.write(edited + "dialy_settlement_limit = 5\n")  # a typo: an unknown key
        bad_line = edited.count("\n") + 1
        time.sleep(2.5)  # two of the watch's periods
        if day_max() != 2:
            fail(f"a file that does not load changed the limit in force to {day_max()}")
        with open(os.path.join(data, "serve-0.log"), encoding="utf-8") as f:
            log = f.read()
        if not any("region_policies_not_reloaded" in line and f"{REGION}.toml, line {bad_line}" in line
                           and "dialy_settlement_limit" in line for line in log.splitlines()):
            fail(f"the log does not name {REGION}.toml, line {bad_line} and the unknown key")

        with open(policy_file, "w") as f:
            f.write(edited.replace("daily_settlement_limit = 2", "daily_settlement_limit = 3"))
        if until("the mended file", lambda: day_max() == 3):
            must(settle(), 201)
    finally:
        server.stop()
    return failures


def main():
    return folder_test_main(__doc__, "essc-policy-reload-", run)


if __name__ == "__main__":
    sys.exit(main())
