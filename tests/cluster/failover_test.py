#!/usr/bin/env python3
"""The cluster losing its primary PostgreSQL, then one essc process, under load
(scripts/cluster.sh failover-test runs this against a cluster it brought up).

Concurrent settlements (each after a fresh QR code), refunds, account credits and card
life-cycle changes go through HAProxy, as the crash test's workers send them. Then:

  - the primary data node dies with SIGKILL (its pg_autoctl keeper and its PostgreSQL,
    as when its machine dies); pg_auto_failover promotes the synchronous standby and the
    essc processes find it through their multi-host URL by themselves;
  - one essc process dies with SIGKILL mid-load; HAProxy routes around it; it is
    started again and rejoins.
  --long repeats this: the dead node is started again (it rejoins as the standby) and
  the new primary dies in turn.

Clients may see only 503 answers that carry retry_after (retried as told, with the same
order id, idempotency key or target state); anything else is a failure. At the end, as
the crash test checks: every acknowledged settlement and refund present exactly once, no
order charged twice, balances equal to their movements, yearly figures equal to their
settlements, every card in the state its last acknowledged change left it, and
`essc audit verify` passes. Prints `figure pg_failover_unavailable_s X`: from the kill to
the first settlement that succeeded after it (the longest, with --long).

Usage: failover_test.py --short|--long --cluster CLUSTER_SH --essc ESSC --data DIR
       --port HAPROXY_PORT --store-url URL --essc-ports P1,P2[,P3]
"""

import argparse
import os
import random
import re
import signal
import sys
import threading
import time
from collections import Counter

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "crash"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from crash_test import Ledger, NoAnswer, check, request, start_workers, verify_audit  # noqa: E402
from cluster_folder import cluster, folder_cli, prepare_cluster  # noqa: E402
from psql_store import PsqlStore  # noqa: E402


def primary_node(script):
    for name in ("node1", "node2"):
        if cluster(script, "node-state", name).startswith("primary/") or \
                cluster(script, "node-state", name).startswith("wait_primary/"):
            return name
    raise AssertionError("no node is primary")


def first_success_after(ledger, t0, what="settlement", timeout=120):
    """Seconds from t0 to the end of the first `what` that started after t0 and succeeded.
    t0 is taken once the killed part refuses connections, so nothing it served counts."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with ledger.lock:
            done = [end for start, end, w in ledger.successes if w == what and start >= t0]
        if done:
            return min(done) - t0
        time.sleep(0.05)
    raise AssertionError(f"no {what} succeeded within {timeout} s of the kill")


def logged_lines(cluster_dir, body):
    """What the essc processes logged of the request an error body names."""
    named = re.search(r"'request_id': '([0-9a-f]+)'", body)
    if not named:
        return []
    marker = named.group(1)
    lines = []
    for name in sorted(os.listdir(cluster_dir)):
        if name.startswith("essc-") and name.endswith(".log"):
            with open(os.path.join(cluster_dir, name), errors="replace") as log:
                lines += [f"  {name}: {line.rstrip()}" for line in log if marker in line]
    return lines


def wait_ready(ports, timeout=60):
    deadline = time.monotonic() + timeout
    pending = set(ports)
    while pending and time.monotonic() < deadline:
        for port in list(pending):
            try:
                if request(port, "GET", "/readyz", timeout=2)[0] == 200:
                    pending.discard(port)
            except NoAnswer:
                pass
        time.sleep(0.2)
    return not pending


def wait_state(script, node, want, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cluster(script, "node-state", node) == want:
            return True
        time.sleep(0.5)
    return False


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--short", action="store_true", help="one failover and one process kill (default)")
    length.add_argument("--long", action="store_true", help="three of each, the dead node rejoining")
    parser.add_argument("--cluster", required=True)
    parser.add_argument("--essc", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--store-url", required=True)
    parser.add_argument("--essc-ports", required=True)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    long_run = args.long
    cycles, warmup_s, settle_s = (3, 20, 20) if long_run else (1, 4, 4)
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    print(f"seed {seed} (rerun with --seed {seed})", flush=True)
    ports = [int(p) for p in args.essc_ports.split(",") if p]
    cluster_dir = os.path.dirname(os.path.abspath(args.data))
    ledger = Ledger()
    ledger.retry_unavailable = True
    api, channel, institutions, clerk, holders = prepare_cluster(args.cluster, args.essc, args.data, args.port,
                                                                 ports, ledger)

    stop = threading.Event()
    workers = start_workers(api, ledger, clerk, holders, channel, institutions, stop, rng)
    failovers, process_kills, failures, kills = [], [], [], []
    time.sleep(warmup_s)
    for cycle in range(cycles):
        primary = primary_node(args.cluster)
        standby = "node2" if primary == "node1" else "node1"
        cluster(args.cluster, "kill-node", primary)  # returns once its port refuses connections
        t0 = time.monotonic()
        kills.append((t0, f"{primary} killed"))
        window = first_success_after(ledger, t0)
        failovers.append(window)
        print(f"cycle {cycle + 1}: killed {primary}; a settlement succeeded again after {window:.2f} s; "
              f"{standby} is {cluster(args.cluster, 'node-state', standby)}", flush=True)
        if not wait_ready(ports):
            failures.append(f"cycle {cycle + 1}: not every essc process became ready again on the new primary")
        time.sleep(settle_s)

        victim = rng.randrange(len(ports)) + 1
        pid = int(open(os.path.join(cluster_dir, f"essc-{victim}.pid")).read())
        t1 = time.monotonic()
        os.kill(pid, signal.SIGKILL)
        kills.append((t1, f"essc {victim} killed"))
        window = first_success_after(ledger, t1)
        process_kills.append(window)
        print(f"cycle {cycle + 1}: killed essc {victim}; a settlement succeeded again after {window:.2f} s",
              flush=True)
        time.sleep(settle_s / 2)
        cluster(args.cluster, "start-essc", str(victim))
        if long_run:
            # The dead node comes back as the standby of the new primary (pg_rewind).
            cluster(args.cluster, "start-node", primary)
            if not wait_state(args.cluster, primary, "secondary/secondary"):
                failures.append(f"cycle {cycle + 1}: {primary} did not rejoin as the standby")
            time.sleep(settle_s)
        else:
            time.sleep(settle_s / 2)
    stop.set()
    for w in workers:
        w.join(timeout=180)
        if w.is_alive():
            raise AssertionError("a worker is stuck")

    # A debit whose server was killed before its settlement committed is owed back once
    # no server can still be settling it (services/bank_transfers.hpp): the sweep of a
    # running server pays it within that grace.
    owed_until = time.time() + 120
    while PsqlStore(args.store_url).execute("SELECT COUNT(*) FROM due_bank_transfers").fetchone()[0]:
        if time.time() > owed_until:
            break
        time.sleep(2)
    failures += check(api, ledger, clerk, holders, channel, args.data, db=PsqlStore(args.store_url))
    failures += verify_audit(folder_cli(args.essc, args.data))
    for (what, status, body), n in ledger.server_errors.items():
        failures.append(f"{n} x {what}: {status} {body}")
        failures += logged_lines(cluster_dir, body)
    no_answer = sum(ledger.retried.values())
    if no_answer:
        failures.append(f"HAProxy left {no_answer} requests unanswered: {dict(ledger.retried)}")
        for started, waited, what, why in ledger.no_answers:
            since = [(started - t, event) for t, event in kills if t <= started]
            when = f"{since[-1][0]:.2f} s after {since[-1][1]}" if since else "before any kill"
            failures.append(f"  {what} sent {when}, no answer in {waited:.2f} s: {why}")
    failures += ledger.errors

    print(f"{len(failovers)} primary kills, {len(process_kills)} essc kills, {len(ledger.settled)} settlements "
          f"acknowledged, {len(ledger.refused)} refused, {len(ledger.refunded)} refunds; "
          f"refusals: {dict(Counter(ledger.refused.values()))}")
    print(f"client errors: 503 with retry_after {sum(ledger.unavailable.values())} {dict(ledger.unavailable)}; "
          f"other 5xx {sum(ledger.server_errors.values())}; no answer {no_answer}")
    print(f"figure pg_failover_unavailable_s {max(failovers):.2f}")
    print(f"figure pg_process_kill_unavailable_s {max(process_kills):.2f}")
    for f in failures:
        print("FAIL", f)
    print(f"{1 if not failures else 0} passed, {1 if failures else 0} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
