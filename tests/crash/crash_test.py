#!/usr/bin/env python3
"""Crash consistency of essc: concurrent settlements, refunds, personal-account credits and
card life-cycle changes against a real `essc serve --sandbox`, which is killed with SIGKILL
at random moments and restarted. Unacknowledged requests are retried with the same order
id, idempotency key or action until they get a definite answer. At the end the database
and the API must agree with everything that was acknowledged:

  - every acknowledged settlement and refund is present exactly once, with the amounts
    that were acknowledged; a settlement that was definitely refused is absent;
  - no order id is charged twice (one settlement, one account movement per settlement);
  - each personal-account balance = credits - account payments + refunds;
  - the running yearly figures = the sum of the settlements that stand;
  - the bank account that pays its holder's self-pay = funding - bank self-pay + refunds,
    and no bank credit is left owed after the restart;
  - each card is in the state its last acknowledged life-cycle change left it in;
  - every acknowledged settlement and refund is in a signed checkpoint of the audit log,
    whose root Python recomputes from the stored entries;
  - `essc audit verify` passes and SQLite's integrity check is clean.

Usage: crash_test.py ESSC_BINARY [--kills N] [--seed S] [--workdir DIR] [--keep]
"""

import argparse
import hashlib
import hmac
import http.client
import json
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from audit_log_check import store_in_signed_checkpoint  # noqa: E402

PASSWORD = "258147"
CLERK_PASSWORD = "crash-clerk-2026"
REGION = "330200"
CARDHOLDERS = 6          # one settlement worker each
LIFECYCLE_CARDHOLDERS = 2  # of those, the ones whose cards are locked / reported lost meanwhile
INITIAL_CREDIT_FEN = 50_000_00
# The first cardholder pays the self-pay part from this sandbox bank account (R-U5).
BANK_ACCOUNT = "6222021234567890128"
RESERVED_PHONE = "13800000001"
BANK_FUNDING_FEN = 1_000_000_00


def id_number(first17):
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(first17, weights))
    return first17 + "10X98765432"[total % 11]


class NoAnswer(Exception):
    """The server did not answer: the request may or may not have taken effect."""


class Server:
    """One `essc serve --sandbox` process on a fixed port, restarted after each kill."""

    def __init__(self, essc, data, port, env):
        self.essc, self.data, self.port, self.env = essc, data, port, env
        self.proc = None
        self.starts = 0

    def start(self):
        log = open(os.path.join(self.data, f"serve-{self.starts}.log"), "wb")
        self.proc = subprocess.Popen(
            [self.essc, "serve", "--data-dir", self.data, "--listen", f"127.0.0.1:{self.port}", "--sandbox"],
            stdout=log, stderr=subprocess.STDOUT, env=self.env)
        log.close()
        self.starts += 1
        for _ in range(600):
            if self.proc.poll() is not None:
                raise RuntimeError(f"essc serve exited with {self.proc.returncode}; see {log.name}")
            try:
                status, _ = request(self.port, "GET", "/readyz", timeout=1)
                if status == 200:
                    return
            except NoAnswer:
                pass
            time.sleep(0.05)
        raise RuntimeError("essc serve did not become ready in 30 s")

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=30)


def request(port, method, target, body=b"", headers=None, timeout=10):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, target, body=body, headers=headers or {})
        answer = conn.getresponse()
        data = answer.read()
        return answer.status, (json.loads(data) if data and data[:1] in (b"{", b"[") else data)
    except (OSError, http.client.HTTPException) as e:
        raise NoAnswer(str(e)) from e
    finally:
        conn.close()


class Api:
    """Signed channel and institution calls, operator calls; counts nonces per process."""

    def __init__(self, port):
        self.port = port
        self.nonce = 0
        self.lock = threading.Lock()

    def next_nonce(self):
        with self.lock:
            self.nonce += 1
            return f"crash-{os.getpid()}-{self.nonce:012d}"

    def sign(self, client, method, target, raw, ahead_s=0):
        """The signature headers of one request, its timestamp `ahead_s` seconds from now."""
        ts, nonce = str(int(time.time()) + ahead_s), self.next_nonce()
        canonical = "\n".join([method, target, ts, nonce, hashlib.sha256(raw).hexdigest()])
        return {"X-Essc-Client": client["id"], "X-Essc-Timestamp": ts, "X-Essc-Nonce": nonce,
                "X-Essc-Signature": hmac.new(client["secret"].encode(), canonical.encode(),
                                             hashlib.sha256).hexdigest(),
                "Content-Type": "application/json"}

    def signed(self, client, method, target, body=None, extra=None):
        raw = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
        headers = self.sign(client, method, target, raw)
        headers.update(extra or {})
        return request(self.port, method, target, raw, headers)

    def operator(self, token, method, target, body=None, extra=None):
        raw = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        headers.update(extra or {})
        return request(self.port, method, target, raw, headers)


def until_answered(call):
    """Repeats one request until the server answers it (it may be down, being restarted)."""
    while True:
        try:
            return call()
        except NoAnswer:
            time.sleep(0.05)


def definite_answer(ledger, what, call):
    """The answer to a request; without one, the same request again until the server answers.
    Retrying is safe because each request carries its own order id, idempotency key or
    target state (a retried refund or life-cycle change finds it already done). A client
    over its rate limit (429, R-S4) waits as told and asks again; one whose request was
    refused as SIGNATURE_EXPIRED (401) signs it again: only the first start on a data
    folder an earlier essc served, or one after a crash of the machine, refuses such.
    Returns (status, body, whether it was retried after no answer)."""
    retried = False
    while True:
        started = time.monotonic()
        try:
            status, body = call()
        except NoAnswer as e:
            ledger.note(what, started, e)
            retried = True
            started = time.monotonic()
            status, body = until_answered(call)
        if status == 401 and body["error"]["code"] == "SIGNATURE_EXPIRED":
            continue
        if status == 503 and ledger.retry_unavailable and isinstance(body, dict) \
                and "retry_after" in body.get("error", {}):
            with ledger.lock:
                ledger.unavailable[what] += 1
            retried = True
            time.sleep(min(body["error"]["retry_after"], 0.25))  # finer than told, to time the outage
            continue
        if status >= 500:
            with ledger.lock:
                ledger.server_errors[(what, status, str(body)[:200])] += 1
        if 200 <= status < 300:
            with ledger.lock:
                ledger.successes.append((started, time.monotonic(), what))
        if status != 429:
            return status, body, retried
        time.sleep(body["error"].get("retry_after", 1))


def must(answer, *expected):
    status, body = answer
    if status not in expected:
        raise AssertionError(f"expected {expected}, got {status}: {body}")
    return body


class Ledger:
    """What the driver knows, shared by the workers."""

    def __init__(self):
        self.lock = threading.Lock()
        self.settled = {}      # (institution_id, order_id) -> acknowledged answer
        self.refused = {}      # (institution_id, order_id) -> error code of a definite refusal
        self.refunded = set()  # settlement ids whose refund was acknowledged (or answered ALREADY_REFUNDED)
        self.credits = defaultdict(int)  # person index -> acknowledged credits (fen)
        self.card_state = {}   # card_no -> state after the last acknowledged change
        self.retried = Counter()
        self.no_answers = []   # (start, seconds, what, why) of each request left without an answer
        self.errors = []
        # For the cluster's failover test: a 503 with retry_after is the one refusal a
        # client may see while the store or a process changes over; it is retried as
        # after no answer. Every answer that succeeded, with when its attempt started.
        self.retry_unavailable = False
        self.unavailable = Counter()
        self.server_errors = Counter()
        self.successes = []

    def note(self, what, started, error):
        with self.lock:
            self.retried[what] += 1
            self.no_answers.append((started, time.monotonic() - started, what, str(error)))


def settlement_worker(api, ledger, holder, institutions, channel, stop, rng):
    order = 0
    while not stop.is_set():
        qr_target = f"/v1/ecards/{holder['binding']}/qrcodes"
        status, body, _ = definite_answer(ledger, "qr code", lambda: api.signed(
            channel, "POST", qr_target, {"purpose": "payment"}, {"X-Essc-Session": holder["session"]}))
        if status == 401 and body["error"]["code"] == "SESSION_INVALID":
            try:
                holder["session"] = open_session(api, channel, holder)
            except (NoAnswer, AssertionError):
                time.sleep(0.05)
            continue
        if status != 201:  # the card is locked or lost right now
            time.sleep(0.05)
            continue
        order += 1
        institution = institutions[order % len(institutions)]
        items = [{"code": f"X{i}", "name": "药品", "category": rng.choice("AABBC"), "quantity": rng.randint(1, 3),
                  "unit_price_fen": rng.randint(100, 20_000)} for i in range(rng.randint(1, 4))]
        # A pharmacy settles only pharmacy visits (R-U4); a hospital both.
        visit = rng.choice(["pharmacy", "outpatient"]) if institution["kind"] == "hospital" else "pharmacy"
        bill = {"qr_token": body["token"], "order_id": f"ord-{holder['index']}-{order}",
                "visit": visit, "items": items,
                "self_pay_from_bank": holder["index"] == 0}
        key = (institution["id"], bill["order_id"])
        status, body, _ = definite_answer(ledger, "settlement",
                                          lambda: api.signed(institution, "POST", "/v1/settlements", bill))
        with ledger.lock:
            if status in (200, 201):
                ledger.settled[key] = body
            elif 400 <= status < 500:
                ledger.refused[key] = body["error"]["code"]
            else:
                ledger.errors.append(f"settlement {key}: {status} {body}")


def refund_worker(api, ledger, institutions, stop, rng):
    by_id = {i["id"]: i for i in institutions}
    while not stop.is_set():
        time.sleep(rng.uniform(0.01, 0.1))
        with ledger.lock:
            open_ones = [(inst, s["settlement_id"]) for (inst, _), s in ledger.settled.items()
                         if s["settlement_id"] not in ledger.refunded]
        if not open_ones or rng.random() < 0.6:
            continue
        inst, sid = rng.choice(open_ones)
        target = f"/v1/settlements/{sid}/refund"
        call = lambda: api.signed(by_id[inst], "POST", target, {"reason": "退药"})  # noqa: E731
        status, body, _ = definite_answer(ledger, "refund", call)
        with ledger.lock:
            if status == 200 or (status == 409 and body["error"]["code"] == "ALREADY_REFUNDED"):
                ledger.refunded.add(sid)
            else:
                ledger.errors.append(f"refund {sid}: {status} {body}")


def credit_worker(api, ledger, clerk, holders, stop, rng):
    n = 0
    while not stop.is_set():
        time.sleep(rng.uniform(0.02, 0.2))
        n += 1
        holder = rng.choice(holders)
        amount = rng.randint(1, 50_000)
        body = {"id_number": holder["id_number"], "amount_fen": amount, "memo": "个人账户划入"}
        call = lambda: api.operator(clerk["token"], "POST", "/v1/accounts/medical/credits", body,  # noqa: E731
                                    {"Idempotency-Key": f"credit-{n}"})
        status, answer, _ = definite_answer(ledger, "credit", call)
        with ledger.lock:
            if status == 200:
                ledger.credits[holder["index"]] += amount
            else:
                ledger.errors.append(f"credit {n}: {status} {answer}")


# From an active card one of these, then its undo; 409 on a retry means it already happened.
CYCLES = [("lock", "locked", "unlock"), ("report-loss", "lost", "cancel-loss")]


def lifecycle_worker(api, ledger, clerk, holders, stop, rng):
    while not stop.is_set():
        time.sleep(rng.uniform(0.05, 0.3))
        holder = rng.choice(holders)
        card = holder["card_no"]
        with ledger.lock:
            state = ledger.card_state[card]
        if state == "active":
            action, after, _ = rng.choice(CYCLES)
        else:
            action, after = next(undo for _, s, undo in CYCLES if s == state), "active"
        call = lambda: api.operator(clerk["token"], "POST", f"/v1/cards/{card}/{action}")  # noqa: E731
        status, body, retried = definite_answer(ledger, "lifecycle", call)
        # Only a retry may find its change already made by the unacknowledged attempt.
        already = retried and status == 409 and body["error"]["code"] == "INVALID_STATE_TRANSITION"
        with ledger.lock:
            if already or (status == 200 and body.get("status") == after):
                ledger.card_state[card] = after
            else:
                ledger.errors.append(f"{action} {card}: {status} {body}")


def open_session(api, channel, holder):
    return must(api.signed(channel, "POST", f"/v1/ecards/{holder['binding']}/sessions",
                           {"password": PASSWORD}), 201)["session_token"]


def add_operators_and_clients(essc, data, env, cli):
    """What the command line sets up in a data folder: the clerk and the teller, the
    sandbox bank's funded account, a channel and two institutions.
    Returns (channel, institutions)."""
    cli("operator", "add", "--username", "clerk", "--role", "hr_clerk", "--password", CLERK_PASSWORD)
    cli("operator", "add", "--username", "teller", "--role", "bank_teller", "--bank-code", "NBCB",
        "--password", CLERK_PASSWORD)
    subprocess.run([essc, "sandbox", "fund", "--data-dir", data, BANK_ACCOUNT, str(BANK_FUNDING_FEN)], env=env,
                   check=True, capture_output=True)

    def client(*args):
        out = dict(line.split("=", 1) for line in cli("client", "add", *args).split() if "=" in line)
        kind = args[args.index("--institution-type") + 1] if "--institution-type" in args else "channel"
        return {"id": out["client_id"], "secret": out["client_secret"], "kind": kind}

    channel = client("--kind", "channel", "--name", "政务APP", "--channel-type", "gov")
    institutions = [client("--kind", "institution", "--name", "第一医院", "--institution-type", "hospital",
                           "--region-code", REGION),
                    client("--kind", "institution", "--name", "海曙大药房", "--institution-type", "pharmacy",
                           "--region-code", REGION)]
    return channel, institutions


def lift_settlement_limits(data):
    """The regional caps of settlements per card a day (R-S4) and an hour, and of
    institutions a day (R-K3), would stop the workload."""
    policy = os.path.join(data, "policies", f"{REGION}.toml")
    with open(policy) as f:
        text = f.read()
    for key in ("daily_settlement_limit", "settlements_per_hour_max", "institutions_per_day_max"):
        text = re.sub(rf"(?m)^{key} = .*$", f"{key} = 10000", text)
    with open(policy, "w") as f:
        f.write(text)


def fast_env():
    """The environment of a test's servers and commands: Argon2id at its cheapest, warnings
    and errors only in the log."""
    return dict(os.environ, ESSC_SECURITY_ARGON2_OPS_LIMIT="1", ESSC_SECURITY_ARGON2_MEMORY_KIB="8",
                ESSC_LOG_LEVEL="warn")


def new_folder(essc, data, env):
    """`essc init` in `data`, the daily settlement cap lifted, and add_operators_and_clients.
    Returns (cli, channel, institutions); cli(*args) runs a verb on the folder and returns
    its standard output, raising when it fails."""
    cli = lambda *args: subprocess.run([essc, *args, "--data-dir", data], env=env, check=True,  # noqa: E731
                                       capture_output=True, text=True).stdout
    cli("init")
    lift_settlement_limits(data)
    channel, institutions = add_operators_and_clients(essc, data, env, cli)
    return cli, channel, institutions


def serve_on_free_port(essc, data, env):
    """A started Server on a port no one listens on, and its Api."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = Server(essc, data, port, env)
    server.start()
    return server, Api(port)


def serve_prepared(essc, data, env, channel):
    """serve_on_free_port, then prepare: a server and its cardholders ready to pay.
    Returns (server, api, ledger, clerk, holders); a failure stops the server first."""
    server, api = serve_on_free_port(essc, data, env)
    ledger = Ledger()
    try:
        clerk, holders = prepare(api, server.port, ledger, channel)
    except BaseException:
        server.stop()
        raise
    return server, api, ledger, clerk, holders


def prepare(api, port, ledger, channel):
    """CARDHOLDERS cardholders with active cards, credited accounts, e-cards and
    sessions, through the server on `port` (the sandbox SMS a verification needs is read
    back from that same process). Returns (clerk, holders)."""
    def log_in(username):
        return must(request(port, "POST", "/v1/operator/sessions",
                            json.dumps({"username": username, "password": CLERK_PASSWORD}).encode(),
                            {"Content-Type": "application/json"}), 200)["token"]

    clerk = {"token": log_in("clerk")}
    teller = log_in("teller")
    holders = []
    for i in range(CARDHOLDERS):
        person = id_number(f"330203199{i}0307{i:03d}")
        holder = {"index": i, "id_number": person}
        must(api.operator(clerk["token"], "POST", "/v1/persons",
                          {"name": f"张{'一二三四五六七八九十'[i]}", "id_number": person, "region_code": REGION,
                           "photo_on_file": {"police": True, "cardholder": True}}), 201)
        holder["card_no"] = must(api.operator(clerk["token"], "POST", "/v1/cards",
                                              {"id_number": person, "bank_code": "NBCB"}), 201)["card_no"]
        must(api.operator(clerk["token"], "POST", f"/v1/cards/{holder['card_no']}/collect"), 200)
        must(api.operator(clerk["token"], "POST", f"/v1/cards/{holder['card_no']}/activate",
                          {"hr_pin": "975310"}), 200)
        must(api.operator(clerk["token"], "POST", "/v1/accounts/medical/credits",
                          {"id_number": person, "amount_fen": INITIAL_CREDIT_FEN, "memo": "个人账户划入"}), 200)
        ledger.credits[i] += INITIAL_CREDIT_FEN
        vid = must(api.signed(channel, "POST", "/v1/verifications",
                              {"purpose": "issue", "name": f"张{'一二三四五六七八九十'[i]}", "id_number": person}),
                   201)["verification_id"]
        must(api.signed(channel, "POST", f"/v1/verifications/{vid}/face", {"image_base64": "ZmFjZQ=="}), 200)
        if i == 0:  # level 2 through the bank's four factors and an SMS code, for bank self-pay
            must(api.operator(teller, "POST", f"/v1/cards/{holder['card_no']}/financial/activate",
                              {"bank_account_no": BANK_ACCOUNT, "reserved_phone": RESERVED_PHONE,
                               "financial_pin": "864200"}), 200)
            must(api.signed(channel, "POST", f"/v1/verifications/{vid}/sms",
                            {"bank_account_no": BANK_ACCOUNT, "phone": RESERVED_PHONE}), 200)
            sms = json.dumps(must(request(port, "GET", f"/v1/sandbox/sms?phone={RESERVED_PHONE}"), 200),
                             ensure_ascii=False)
            code = sms[sms.index("验证码为") + len("验证码为"):][:6]
            must(api.signed(channel, "POST", f"/v1/verifications/{vid}/sms/verify", {"code": code}), 200)
        holder["binding"] = must(api.signed(channel, "POST", "/v1/ecards",
                                            {"verification_id": vid, "password": PASSWORD}), 201)["binding_id"]
        holder["session"] = open_session(api, channel, holder)
        ledger.card_state[holder["card_no"]] = "active"
        holders.append(holder)
    return clerk, holders


def start_load(api, ledger, holders, institutions, channel, stop, rng, clerk=None):
    """A settlement worker per holder (each QR code issued first) and, with `clerk`,
    refunds and account credits, until `stop`. Returns the started threads."""
    def seeded():
        return random.Random(rng.random())
    workers = [threading.Thread(target=settlement_worker,
                                args=(api, ledger, h, institutions, channel, stop, seeded()))
               for h in holders]
    if clerk:
        workers.append(threading.Thread(target=refund_worker, args=(api, ledger, institutions, stop, seeded())))
        workers.append(threading.Thread(target=credit_worker, args=(api, ledger, clerk, holders, stop, seeded())))
    for w in workers:
        w.daemon = True
        w.start()
    return workers


def start_workers(api, ledger, clerk, holders, channel, institutions, stop, rng):
    """The concurrent load of start_load and card life-cycle changes, until `stop`."""
    workers = start_load(api, ledger, holders, institutions, channel, stop, rng, clerk)
    lifecycle = threading.Thread(target=lifecycle_worker,
                                 args=(api, ledger, clerk, holders[:LIFECYCLE_CARDHOLDERS], stop,
                                       random.Random(rng.random())), daemon=True)
    lifecycle.start()
    return workers + [lifecycle]


def run(essc, root, kills, rng):
    data = os.path.join(root, "data")
    env = fast_env()
    cli, channel, institutions = new_folder(essc, data, env)
    server, api = serve_on_free_port(essc, data, env)
    port = server.port
    ledger = Ledger()
    clerk, holders = prepare(api, port, ledger, channel)
    stop = threading.Event()
    workers = start_workers(api, ledger, clerk, holders, channel, institutions, stop, rng)
    for k in range(kills):
        time.sleep(rng.uniform(0.2, 1.5))
        # R-S2: a request answered just before the kill, signed 120 s ahead, is a replay
        # after the restart (the nonce journal outlives the process).
        probe = api.sign(channel, "GET", "/v1/clients/me", b"", ahead_s=120)
        answered = until_answered(lambda: request(server.port, "GET", "/v1/clients/me", b"", probe))
        server.kill()
        server.start()
        replayed = until_answered(lambda: request(server.port, "GET", "/v1/clients/me", b"", probe))
        if answered[0] == 200 and (replayed[0] != 401 or replayed[1]["error"]["code"] != "NONCE_REUSED"):
            ledger.errors.append(f"after kill {k + 1} a replayed request was answered {replayed[0]}: {replayed[1]}")
    time.sleep(0.5)
    stop.set()
    for w in workers:
        w.join(timeout=120)
        if w.is_alive():
            raise AssertionError("a worker is stuck")
    # One more kill after the last answers, so the final state is read from a fresh start.
    server.kill()
    server.start()
    try:
        failures = check(api, ledger, clerk, holders, channel, data)
    finally:
        server.stop()
    failures += verify_audit(cli)
    print(f"{kills} kills, {len(ledger.settled)} settlements acknowledged, {len(ledger.refused)} refused, "
          f"{len(ledger.refunded)} refunds, retried after no answer: {dict(ledger.retried)}; "
          f"refusals: {dict(Counter(ledger.refused.values()))}")
    return ledger.errors + failures


def check(api, ledger, clerk, holders, channel, data, db=None):
    """The end checks; `db` is the store as a DB-API connection (`?` parameters), by
    default the folder's SQLite file, whose integrity is checked too."""
    failures = []
    fail = failures.append
    if db is None:
        db = sqlite3.connect(f"file:{os.path.join(data, 'essc.db')}?mode=ro", uri=True)
        if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            fail("SQLite integrity check failed")
    rows = db.execute("SELECT institution_id, order_id, settlement_id, person_id, total_fen, fund_fen, account_fen, "
                      "self_pay_fen, deductible_part_fen, year, refunded_at_ms, self_pay_method "
                      "FROM settlements").fetchall()
    stored = Counter((r[0], r[1]) for r in rows)
    for key, n in stored.items():
        if n != 1:
            fail(f"order {key} stored {n} times")
    by_key = {(r[0], r[1]): r for r in rows}
    for key, ack in ledger.settled.items():
        row = by_key.get(key)
        if row is None:
            fail(f"acknowledged settlement {key} is missing")
        elif (row[2], row[4], row[5], row[6], row[7]) != (ack["settlement_id"], ack["total_fen"], ack["fund_fen"],
                                                          ack["account_fen"], ack["self_pay_fen"]):
            fail(f"settlement {key} stored as {row} but acknowledged as {ack}")
    for key, code in ledger.refused.items():
        if key in by_key:
            fail(f"settlement {key} was refused with {code} but is stored")
    for key in by_key.keys() - ledger.settled.keys() - ledger.refused.keys():
        fail(f"settlement {key} is stored but was never requested")
    refunded = {r[2] for r in rows if r[10] is not None}
    for sid in ledger.refunded - refunded:
        fail(f"acknowledged refund of {sid} is missing")
    for sid in refunded - ledger.refunded:
        fail(f"settlement {sid} is refunded but no refund was acknowledged")

    movements = Counter(r[0] for r in db.execute("SELECT reference FROM account_movements WHERE reference IS NOT NULL"))
    for r in rows:
        sid, account_fen = r[2], r[6]
        if movements[f"settlement:{sid}"] != (1 if account_fen > 0 else 0):
            fail(f"settlement {sid}: {movements[f'settlement:{sid}']} account payments, account part {account_fen}")
        expected_refunds = 1 if account_fen > 0 and r[10] is not None else 0
        if movements[f"refund:{sid}"] != expected_refunds:
            fail(f"settlement {sid}: {movements[f'refund:{sid}']} account refunds, expected {expected_refunds}")

    audit = Counter((a, t) for a, t in db.execute("SELECT action, target FROM audit_entries WHERE outcome = 'ok'"))
    for r in rows:
        if audit[("settlement.create", r[2])] != 1:
            fail(f"settlement {r[2]} has {audit[('settlement.create', r[2])]} audit entries")
        if audit[("settlement.refund", r[2])] != (1 if r[10] is not None else 0):
            fail(f"settlement {r[2]} has {audit[('settlement.refund', r[2])]} refund audit entries")

    # With each acknowledged settlement's and refund's entry counted above, this puts
    # every acknowledged write in the signed log.
    failures += store_in_signed_checkpoint(api.port, db)

    sums = {kind: dict(db.execute("SELECT person_id, SUM(amount_fen) FROM account_movements WHERE kind = ? "
                                  "GROUP BY person_id", (kind,)).fetchall())
            for kind in ("credit", "settlement", "refund")}
    balances = dict(db.execute("SELECT person_id, balance_fen FROM medical_accounts").fetchall())
    for person, balance in balances.items():
        expected = sums["credit"].get(person, 0) + sums["settlement"].get(person, 0) + sums["refund"].get(person, 0)
        if balance != expected:
            fail(f"person {person}: balance {balance}, but credits - payments + refunds = {expected}")
    years = db.execute("SELECT person_id, year, deductible_used_fen, fund_paid_fen FROM medical_years").fetchall()
    standing = defaultdict(lambda: [0, 0])
    for r in rows:
        if r[10] is None:
            standing[(r[3], r[9])][0] += r[8]
            standing[(r[3], r[9])][1] += r[5]
    for person, year, deductible, fund in years:
        expected = standing.pop((person, year), [0, 0])
        if [deductible, fund] != expected:
            fail(f"person {person} {year}: running figures {deductible}/{fund} (deductible/fund), "
                 f"the settlements that stand sum to {expected[0]}/{expected[1]}")
    for key, figures in standing.items():
        if figures != [0, 0]:
            fail(f"person/year {key} has settlements {figures} but no running figures")

    # The bank account: every self-pay debit belongs to a settlement that stands or was
    # refunded, nothing is debited twice, and the start-up completed whatever was owed.
    bank = sqlite3.connect(f"file:{os.path.join(data, 'sandbox_bank.db')}?mode=ro", uri=True)
    (bank_balance,), = bank.execute("SELECT balance_fen FROM accounts").fetchall()
    bank.close()
    bank_paid = sum(r[7] for r in rows if r[11] == "bank")
    bank_back = sum(r[7] for r in rows if r[11] == "bank" and r[10] is not None)
    if bank_balance != BANK_FUNDING_FEN - bank_paid + bank_back:
        fail(f"bank balance {bank_balance}, but funding - bank self-pay + refunds = "
             f"{BANK_FUNDING_FEN - bank_paid + bank_back}")
    owed = db.execute("SELECT COUNT(*) FROM due_bank_transfers").fetchone()[0]
    if owed:
        fail(f"{owed} bank credits still owed after the restart")

    # The same through the API, against what the driver itself acknowledged. A card the
    # lifecycle worker left lost or locked shuts its e-card's reads (R-L1): undone first.
    for h in holders:
        state = ledger.card_state[h["card_no"]]
        if state != "active":
            undo = next(u for _, s, u in CYCLES if s == state)
            status, _, _ = definite_answer(ledger, "check", lambda: api.operator(
                clerk["token"], "POST", f"/v1/cards/{h['card_no']}/{undo}"))
            if status == 200:
                ledger.card_state[h["card_no"]] = "active"
    for h in holders:
        _, card, _ = definite_answer(ledger, "check",
                                     lambda: api.operator(clerk["token"], "GET", f"/v1/cards/{h['card_no']}"))
        if card.get("status") != ledger.card_state[h["card_no"]]:
            fail(f"card of holder {h['index']} is {card.get('status')}, "
                 f"the last acknowledged change left it {ledger.card_state[h['card_no']]}")
        # A suspended e-card shows no account (R-L1): the card is made active to read it.
        undo = next((undo for _, s, undo in CYCLES if s == card.get("status")), None)
        if undo:
            definite_answer(ledger, "check",
                            lambda: api.operator(clerk["token"], "POST", f"/v1/cards/{h['card_no']}/{undo}"))
        _, account, _ = definite_answer(ledger, "check",
                                        lambda: api.signed(channel, "GET", f"/v1/ecards/{h['binding']}/account"))
        mine = [s for (_, order), s in ledger.settled.items() if order.startswith(f"ord-{h['index']}-")]
        paid = sum(s["account_fen"] for s in mine)
        back = sum(s["account_fen"] for s in mine if s["settlement_id"] in ledger.refunded)
        fund = sum(s["fund_fen"] for s in mine if s["settlement_id"] not in ledger.refunded)
        expected = ledger.credits[h["index"]] - paid + back
        if h["index"] == 0 and not any(s["self_pay_method"] == "bank" for s in mine):
            fail("the first cardholder never paid from the bank")
        if account.get("medical_account_balance_fen") != expected:
            fail(f"holder {h['index']}: API balance {account}, acknowledged credits - payments + refunds = {expected}")
        if account.get("fund_paid_this_year_fen") != fund:
            fail(f"holder {h['index']}: API fund paid {account}, acknowledged settlements sum to {fund}")
    db.close()
    return failures


def verify_audit(cli):
    try:
        cli("audit", "verify")
        return []
    except subprocess.CalledProcessError as e:
        return [f"essc audit verify failed: {e.stderr.strip()}"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("essc")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--workdir", default=os.environ.get("ESSC_TEST_TMP", tempfile.gettempdir()))
    parser.add_argument("--keep", action="store_true", help="keep the data folder for inspection")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    print(f"seed {seed} (rerun with --seed {seed})")
    os.makedirs(args.workdir, exist_ok=True)
    root = tempfile.mkdtemp(prefix="essc-crash-", dir=args.workdir)
    failures = run(os.path.abspath(args.essc), root, args.kills, random.Random(seed))
    return finish(failures, root, args.keep)


def folder_test_main(doc, prefix, run_test):
    """The command line of a test that runs `run_test(essc, root)` in a new folder `root`:
    ESSC_BINARY [--workdir DIR] [--keep]. Returns the exit status."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("essc")
    parser.add_argument("--workdir", default=os.environ.get("ESSC_TEST_TMP", tempfile.gettempdir()))
    parser.add_argument("--keep", action="store_true", help="keep the folder for inspection")
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    root = tempfile.mkdtemp(prefix=prefix, dir=args.workdir)
    return finish(run_test(os.path.abspath(args.essc), root), root, args.keep)


def finish(failures, root, keep):
    """Prints the failures; removes the test's folder unless there are any or `keep`.
    Returns the exit status."""
    for f in failures:
        print("FAIL", f)
    if failures or keep:
        print(f"data folder kept: {root}")
    else:
        subprocess.run(["rm", "-rf", root], check=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
