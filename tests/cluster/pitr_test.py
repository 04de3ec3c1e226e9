#!/usr/bin/env python3
"""Point-in-time recovery of the cluster's store with pgBackRest (SPEC R-S9: nothing
acknowledged before a backup is lost; scripts/cluster.sh pitr-test runs this against a
cluster it brought up, whose WAL is archived and which took a full backup at `up`).

Settlements (each after a fresh QR code) go through HAProxy from several cardholders at
once. Mid-load the drill notes a time T, lets the load run on for a few seconds, stops
it, and has `scripts/cluster.sh pitr-restore T` restore the store as it was at T into a
new folder, started alone on a port of its own. Then, in the restored store:

  - every settlement acknowledged before T is there, with the amounts it was answered;
  - no settlement whose request was sent after T is there;
  - the restored store is a working primary: it takes a write.

Prints `figure pitr_restore_s X`: from the restore's start to the store answering.

Usage: pitr_test.py --cluster CLUSTER_SH --essc ESSC --data DIR --port HAPROXY_PORT
       --essc-ports P1,P2 --restore-dir DIR --restore-port PORT
"""

import argparse
import os
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "crash"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from crash_test import Ledger, NoAnswer  # noqa: E402
from cluster_folder import cluster, prepare_cluster  # noqa: E402
from psql_store import PsqlStore  # noqa: E402

LOAD_BEFORE_S = 4  # settlements before T
LOAD_AFTER_S = 4  # and after


class Settled:
    """Each settlement request: when it was sent, when its answer came (wall clock), and
    what it answered."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rows = []  # (sent_s, answered_s or None, order_id, status, body)


def settle_loop(api, channel, holder, institution, stop, settled):
    order = 0
    while not stop.is_set():
        try:
            status, body = api.signed(channel, "POST", f"/v1/ecards/{holder['binding']}/qrcodes",
                                      {"purpose": "payment"}, {"X-Essc-Session": holder["session"]})
        except NoAnswer:
            continue
        if status != 201:
            time.sleep(0.05)
            continue
        order += 1
        bill = {"qr_token": body["token"], "order_id": f"pitr-{holder['index']}-{order}", "visit": "pharmacy",
                "items": [{"code": "YP-1", "name": "药品", "category": "A", "quantity": 1,
                           "unit_price_fen": 100 + order}]}
        sent = time.time()
        try:
            status, answer = api.signed(institution, "POST", "/v1/settlements", bill)
            answered = time.time()
        except NoAnswer:
            status, answer, answered = None, None, None
        with settled.lock:
            settled.rows.append((sent, answered, bill["order_id"], status, answer))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in ("--cluster", "--essc", "--data", "--essc-ports", "--restore-dir"):
        parser.add_argument(name, required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--restore-port", type=int, required=True)
    args = parser.parse_args()
    ports = [int(p) for p in args.essc_ports.split(",") if p]
    api, channel, institutions, _, holders = prepare_cluster(args.cluster, args.essc, args.data, args.port, ports,
                                                             Ledger())
    pharmacy = next(i for i in institutions if i["kind"] == "pharmacy")

    settled, stop = Settled(), threading.Event()
    workers = [threading.Thread(target=settle_loop, args=(api, channel, h, pharmacy, stop, settled), daemon=True)
               for h in holders]
    for w in workers:
        w.start()
    time.sleep(LOAD_BEFORE_S)
    target = time.time()
    time.sleep(LOAD_AFTER_S)
    stop.set()
    for w in workers:
        w.join(timeout=30)

    failures = []
    rows = list(settled.rows)
    before = [r for r in rows if r[1] is not None and r[1] < target and r[3] == 201]
    after = [r for r in rows if r[0] > target]
    if len(before) < 10 or len(after) < 10:
        failures.append(f"too little load around T: {len(before)} acknowledged before, {len(after)} sent after")

    started = time.monotonic()
    stamp = datetime.fromtimestamp(target, timezone.utc).isoformat(sep=" ", timespec="microseconds")
    try:
        print(cluster(args.cluster, "pitr-restore", stamp, args.restore_dir, str(args.restore_port)), flush=True)
    except subprocess.CalledProcessError as e:
        print(e.stdout, e.stderr, file=sys.stderr)
        raise
    print(f"figure pitr_restore_s {time.monotonic() - started:.1f}", flush=True)

    db = PsqlStore(f"postgresql://postgres@127.0.0.1:{args.restore_port}/essc")
    restored = {row[0]: row for row in db.execute(
        "SELECT order_id, total_fen, fund_fen, account_fen, self_pay_fen FROM settlements "
        "WHERE order_id LIKE 'pitr-%'").fetchall()}
    for sent, answered, order_id, _, body in before:
        got = restored.get(order_id)
        want = (order_id, body["total_fen"], body["fund_fen"], body["account_fen"], body["self_pay_fen"])
        if got != want:
            failures.append(f"{order_id}, acknowledged {target - answered:.3f} s before T: restored as {got}, "
                            f"answered {want}")
    for sent, _, order_id, _, _ in after:
        if order_id in restored:
            failures.append(f"{order_id}, sent {sent - target:.3f} s after T, is in the store restored to T")
    db.execute("CREATE TABLE pitr_drill (at timestamptz); INSERT INTO pitr_drill VALUES (now())")
    print(f"{len(before)} settlements acknowledged before T all restored; {len(after)} sent after T none "
          f"restored; {len(rows) - len(before) - len(after)} in flight at T", flush=True)
    for f in failures:
        print("FAIL", f, flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
