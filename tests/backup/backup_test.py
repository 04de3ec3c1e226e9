#!/usr/bin/env python3
"""Online backup and restore of a SQLite data folder (SPEC R-S9, API.md `essc backup`,
`essc restore`) against a real `essc serve --sandbox`:

  - settlements, refunds and account credits run in other threads while `essc backup`
    writes an archive encrypted with age; the load goes on after it;
  - `essc restore` into a new folder: every settlement, refund and credit acknowledged
    before the backup began is there with its acknowledged amounts, nothing is there that
    was never acknowledged, each balance equals its movements, the audit log verifies;
  - a server on the restored folder answers with the restored keys (an operator login
    against the pepper, a card whose sealed ID number it reads, the account balance);
  - refusals: a folder that holds data, an encrypted archive without an identity, an
    archive whose file differs from its manifest, one whose audit log was rewritten (its
    manifest recomputed), an existing target file; an unencrypted archive is 0600 with a
    warning; a PostgreSQL folder's archive holds keys, config and policies only.

Usage: backup_test.py ESSC_BINARY [--workdir DIR] [--keep]
"""

import hashlib
import io
import os
import random
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
from collections import Counter

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "crash"))
from crash_test import (definite_answer, fast_env, folder_test_main, must, new_folder, request,  # noqa: E402
                        serve_on_free_port, serve_prepared, start_load)

LOAD_BEFORE_S = 2.0
LOAD_AFTER_S = 1.5


def set_recipients(data, recipients):
    path = os.path.join(data, "essc.toml")
    with open(path) as f:
        text = f.read()
    assert 'recipients = ""' in text, "essc init wrote no [backup] recipients"
    with open(path, "w") as f:
        f.write(text.replace('recipients = ""', f'recipients = "{recipients}"'))


def rewrite_archive(source, target, change):
    """A copy of an unencrypted archive with `change(name, bytes) -> bytes` applied."""
    with tarfile.open(source) as src, tarfile.open(target, "w") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read() if member.isfile() else None
            if data is not None:
                data = change(member.name.lstrip("./"), data)
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data) if data is not None else None)


def check_restored(restored, before, ledger):
    """What the restored store holds against what was acknowledged."""
    failures = []
    fail = failures.append
    db = sqlite3.connect(f"file:{os.path.join(restored, 'essc.db')}?mode=ro", uri=True)
    if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        fail("the restored store fails SQLite's integrity check")
    rows = db.execute("SELECT institution_id, order_id, settlement_id, total_fen, fund_fen, account_fen, "
                      "self_pay_fen, refunded_at_ms FROM settlements").fetchall()
    by_key = {(r[0], r[1]): r for r in rows}
    if len(by_key) != len(rows):
        fail("an order is stored twice")
    for key, ack in before["settled"].items():
        row = by_key.get(key)
        if row is None:
            fail(f"settlement {key}, acknowledged before the backup began, is missing")
        elif (row[2], row[3], row[4], row[5], row[6]) != (ack["settlement_id"], ack["total_fen"],
                                                           ack["fund_fen"], ack["account_fen"], ack["self_pay_fen"]):
            fail(f"settlement {key} restored as {row}, acknowledged as {ack}")
    for key in by_key.keys() - ledger.settled.keys():
        fail(f"settlement {key} is restored but was never acknowledged")
    refunded = {r[2] for r in rows if r[7] is not None}
    for sid in before["refunded"] - refunded:
        fail(f"refund of {sid}, acknowledged before the backup began, is missing")
    sums = {kind: dict(db.execute("SELECT person_id, SUM(amount_fen) FROM account_movements WHERE kind = ? "
                                  "GROUP BY person_id", (kind,)).fetchall())
            for kind in ("credit", "settlement", "refund")}
    for person, balance in db.execute("SELECT person_id, balance_fen FROM medical_accounts"):
        moved = sum(sums[kind].get(person, 0) for kind in sums)
        if balance != moved:
            fail(f"person {person}: balance {balance}, movements sum to {moved}")
    movements = Counter(r[0] for r in db.execute("SELECT reference FROM account_movements "
                                                 "WHERE reference IS NOT NULL"))
    for r in rows:
        if movements[f"settlement:{r[2]}"] != (1 if r[5] > 0 else 0):
            fail(f"settlement {r[2]}: {movements[f'settlement:{r[2]}']} account payments")
    # Credits carry no key of the driver's: their sum is at least what was acknowledged.
    credited = db.execute("SELECT COALESCE(SUM(amount_fen), 0) FROM account_movements WHERE kind = 'credit'")
    credited = credited.fetchone()[0]
    if credited < before["credited_fen"]:
        fail(f"{credited} fen of credits restored, {before['credited_fen']} acknowledged before the backup")
    db.close()
    return failures


def run(essc, root):
    failures = []
    fail = failures.append
    data = os.path.join(root, "data")
    env = fast_env()
    env.pop("ESSC_BACKUP_RECIPIENTS", None)

    def essc_run(*args, extra_env=None):
        return subprocess.run([essc, *args], env=dict(env, **(extra_env or {})), capture_output=True, text=True)

    _, channel, institutions = new_folder(essc, data, env)
    identity = os.path.join(root, "backup-identity.txt")
    subprocess.run(["age-keygen", "-o", identity], check=True, capture_output=True)
    with open(identity) as f:
        recipient = next(line.split(": ")[1].strip() for line in f if line.startswith("# public key"))
    set_recipients(data, recipient)

    server, api, ledger, clerk, holders = serve_prepared(essc, data, env, channel)
    stop = threading.Event()
    workers = []
    try:
        workers += start_load(api, ledger, holders, institutions, channel, stop, random.Random(7), clerk)
        time.sleep(LOAD_BEFORE_S)
        with ledger.lock:
            before = {"settled": dict(ledger.settled), "refunded": set(ledger.refunded),
                      "credited_fen": sum(ledger.credits.values())}
        archive = os.path.join(root, "backup.tar.age")
        textfile = os.path.join(root, "essc_backup.prom")
        started = time.time()
        backup = essc_run("backup", "--data-dir", data, "--to", archive, "--textfile", textfile)
        with ledger.lock:
            during = len(ledger.settled)
        time.sleep(LOAD_AFTER_S)
    finally:
        stop.set()
        for w in workers:
            w.join(timeout=60)
        server.stop()
    if backup.returncode != 0:
        return [f"essc backup failed: {backup.stderr.strip()}"]
    if "encrypted to 1 age recipient" not in backup.stdout or "essc.db" not in backup.stdout:
        fail(f"essc backup did not say what it wrote: {backup.stdout}")
    if oct(os.stat(archive).st_mode & 0o777) != "0o600":
        fail("the archive is not mode 0600")
    # What the EsscBackupMissing alert reads, through node_exporter's textfile collector.
    with open(textfile) as f:
        metrics = dict(line.rsplit(" ", 1) for line in f.read().splitlines() if not line.startswith("#"))
    label = '{folder="' + os.path.abspath(data) + '"}'
    stamp = int(metrics.get("essc_backup_last_success_timestamp_seconds" + label, "0"))
    if not started - 1 <= stamp <= time.time() + 1:
        fail(f"the textfile's backup time is {stamp}, not the backup's: {metrics}")
    if int(metrics.get("essc_backup_last_size_bytes" + label, "0")) != os.path.getsize(archive):
        fail(f"the textfile's size is not the archive's: {metrics}")
    with open(archive, "rb") as f:
        if not f.read(21) == b"age-encryption.org/v1":
            fail("the archive is not age-encrypted")
    if len(before["settled"]) < 5 or len(ledger.settled) <= during:
        fail(f"the load did not run across the backup: {len(before['settled'])} settlements before, "
             f"{during} when it ended, {len(ledger.settled)} at the end")
    if ledger.errors:
        fail(f"the load met errors: {ledger.errors[:3]}")

    restored = os.path.join(root, "restored")
    no_identity = essc_run("restore", "--from", archive, "--data-dir", restored)
    if no_identity.returncode != 1 or "--identity" not in no_identity.stderr or os.path.exists(restored):
        fail(f"an encrypted archive without --identity: {no_identity.returncode} {no_identity.stderr}")
    result = essc_run("restore", "--from", archive, "--data-dir", restored, "--identity", identity)
    if result.returncode != 0:
        return failures + [f"essc restore failed: {result.stderr.strip()}"]
    if "audit log verified" not in result.stdout or "keys.toml" not in result.stdout:
        fail(f"essc restore did not say what it restored: {result.stdout}")
    if os.path.exists(os.path.join(restored, "nonces")):
        fail("the restored folder has a nonce folder: requests signed before it started would be accepted")
    failures += check_restored(restored, before, ledger)

    again = essc_run("restore", "--from", archive, "--data-dir", restored, "--identity", identity)
    if again.returncode != 1 or "holds data" not in again.stderr:
        fail(f"restore into a folder that holds data: {again.returncode} {again.stderr}")
    exists = essc_run("backup", "--data-dir", restored, "--to", archive)
    if exists.returncode != 1 or "exists" not in exists.stderr:
        fail(f"backup onto an existing file: {exists.returncode} {exists.stderr}")

    # The restored folder serves, with its keys: a login (pepper), a card (sealed ID number),
    # the account through the channel (its secret, the e-card's binding).
    server, api = serve_on_free_port(essc, restored, env)
    try:
        token = must(request(server.port, "POST", "/v1/operator/sessions",
                             b'{"username": "clerk", "password": "crash-clerk-2026"}',
                             {"Content-Type": "application/json"}), 200)["token"]
        db = sqlite3.connect(f"file:{os.path.join(restored, 'essc.db')}?mode=ro", uri=True)
        for h in holders:
            card = must(api.operator(token, "GET", f"/v1/cards/{h['card_no']}"), 200)
            if card.get("status") != "active":
                fail(f"restored card {h['card_no']}: {card}")
            _, account, _ = definite_answer(ledger, "check", lambda: api.signed(
                channel, "GET", f"/v1/ecards/{h['binding']}/account"))
            (balance,), = db.execute("SELECT balance_fen FROM medical_accounts WHERE person_id = "
                                     "(SELECT person_id FROM cards WHERE card_no = ?)", (h["card_no"],)).fetchall()
            if account.get("medical_account_balance_fen") != balance:
                fail(f"holder {h['index']}: the restored server answers {account}, the store holds {balance}")
        db.close()
    finally:
        server.stop()

    # Unencrypted: 0600 and a warning; then the same archive altered two ways.
    plain = os.path.join(root, "plain.tar")
    result = essc_run("backup", "--data-dir", restored, "--to", plain, extra_env={"ESSC_BACKUP_RECIPIENTS": ""})
    if result.returncode != 0 or "not encrypted" not in result.stderr or \
            oct(os.stat(plain).st_mode & 0o777) != "0o600":
        fail(f"an unencrypted backup: {result.returncode} {result.stderr}")
    altered = os.path.join(root, "altered.tar")
    rewrite_archive(plain, altered, lambda name, b: b + b"# changed\n" if name.startswith("policies/") else b)
    result = essc_run("restore", "--from", altered, "--data-dir", os.path.join(root, "r-altered"))
    if result.returncode != 1 or "does not match" not in result.stderr:
        fail(f"an archive that differs from its manifest: {result.returncode} {result.stderr}")
    if os.path.exists(os.path.join(root, "r-altered")):
        fail("a refused restore left the folder behind")

    # The store's audit log rewritten and the manifest recomputed, as an intruder would:
    # only the signed checkpoints can tell.
    forged = os.path.join(root, "forged.tar")
    forged_db = {}

    def rewrite_entry(name, content):
        if name != "essc.db":
            return content
        path = os.path.join(root, "forged.db")
        with open(path, "wb") as f:
            f.write(content)
        db = sqlite3.connect(path)
        db.execute("UPDATE audit_entries SET actor = 'intruder' WHERE seq = 3")
        db.commit()
        db.close()
        with open(path, "rb") as f:
            forged_db["bytes"] = f.read()
        return forged_db["bytes"]

    def rewrite_manifest(name, content):
        if name != "MANIFEST.sha256":
            return content
        digest = hashlib.sha256(forged_db["bytes"]).hexdigest().encode()
        return b"".join(digest + line[64:] if line.endswith(b"  essc.db\n") else line
                        for line in io.BytesIO(content).readlines())
    rewrite_archive(plain, forged + ".1", rewrite_entry)
    rewrite_archive(forged + ".1", forged, rewrite_manifest)
    result = essc_run("restore", "--from", forged, "--data-dir", os.path.join(root, "r-forged"))
    if result.returncode != 1 or "audit log" not in result.stderr:
        fail(f"an archive whose audit log was rewritten: {result.returncode} {result.stdout} {result.stderr}")

    # A PostgreSQL folder: keys, config and policies; the database is PostgreSQL's to back up.
    pg = os.path.join(root, "pg")
    os.makedirs(os.path.join(pg, "policies"), mode=0o700)
    for name in ("keys.toml", "essc.toml", os.path.join("policies", "330200.toml")):
        with open(os.path.join(restored, name), "rb") as f, \
                open(os.open(os.path.join(pg, name), os.O_WRONLY | os.O_CREAT, 0o600), "wb") as g:
            g.write(f.read())
    with open(os.path.join(pg, "essc.toml")) as f:
        text = f.read().replace('\nurl = ""', '\nurl = "postgresql://essc@db1,db2/essc"', 1)
    with open(os.path.join(pg, "essc.toml"), "w") as f:
        f.write(text)
    pg_archive = os.path.join(root, "pg.tar")
    result = essc_run("backup", "--data-dir", pg, "--to", pg_archive, extra_env={"ESSC_BACKUP_RECIPIENTS": ""})
    if result.returncode != 0 or "pgBackRest" not in result.stdout:
        fail(f"a PostgreSQL folder's backup: {result.returncode} {result.stdout} {result.stderr}")
    else:
        with tarfile.open(pg_archive) as t:
            names = sorted(n.lstrip("./") for n in t.getnames() if t.getmember(n).isfile())
        if names != ["MANIFEST.sha256", "backup-info.toml", "essc.toml", "keys.toml", "policies/330200.toml"]:
            fail(f"a PostgreSQL folder's archive holds {names}")
        result = essc_run("restore", "--from", pg_archive, "--data-dir", os.path.join(root, "pg-restored"))
        if result.returncode != 0 or "PostgreSQL's tools" not in result.stdout:
            fail(f"a PostgreSQL folder's restore: {result.returncode} {result.stdout} {result.stderr}")

    print(f"{len(before['settled'])} settlements acknowledged before the backup, {during} when it ended, "
          f"{len(ledger.settled)} in all")
    return failures


def main():
    return folder_test_main(__doc__, "essc-backup-", run)


if __name__ == "__main__":
    sys.exit(main())
