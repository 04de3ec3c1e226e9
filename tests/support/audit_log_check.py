"""The platform's audit log checked from outside its C++: every entry in the store is in
the checkpoint the platform signed, and the signed root is the RFC 9162 tree of the
entries' leaves as this file recomputes them from the stored fields (R-S6)."""

import base64
import http.client
import json
import time

from rfc9162 import leaf_hash, mth, verify_inclusion
from signed_note import verify_checkpoint


def get(port, target):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", target)
        answer = conn.getresponse()
        return answer.status, answer.read()
    finally:
        conn.close()


def stored_bytes(value):
    """A BLOB as SQLite gives it, or a bytea as psql prints it (\\x and hex)."""
    if value is None or isinstance(value, bytes):
        return value
    return bytes.fromhex(value[2:])


def entry_leaf(at_ms, actor, action, target, outcome, salt, chain_hash):
    """An entry's leaf hash: the entry is the canonical JSON of its fields (keys sorted, no
    spaces, blobs in base64), as docs/architecture.md "The audit log" says."""
    fields = {"action": str(action), "actor": str(actor), "at": int(at_ms), "outcome": str(outcome),
              "salt": base64.b64encode(stored_bytes(salt)).decode(), "target": str(target)}
    if chain_hash is not None:
        fields["chain_hash"] = base64.b64encode(stored_bytes(chain_hash)).decode()
    return leaf_hash(json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode())


def signed_checkpoint(port, vkey):
    """(size, root) of the platform's latest checkpoint, its signature checked; (0, b"")
    before the first."""
    status, note = get(port, "/v1/audit/checkpoint")
    if status != 200:
        return 0, b""
    return verify_checkpoint(note.decode(), vkey)[1:]


def store_in_signed_checkpoint(port, db, wait_s=10):
    """Failures (a list of lines) unless, within `wait_s`, every audit entry of the store
    `db` (a DB-API connection, or the cluster tests' psql one) is in a checkpoint signed
    with the key of /v1/audit/key whose root is the tree of the recomputed leaves; the
    server's inclusion proofs of the first, middle and last entry verify here too."""
    status, key = get(port, "/v1/audit/key")
    if status != 200:
        return [f"GET /v1/audit/key answered {status}"]
    vkey = json.loads(key)["vkey"]
    deadline = time.monotonic() + wait_s
    while True:
        size, root = signed_checkpoint(port, vkey)
        rows = db.execute("SELECT seq, at_ms, actor, action, target, outcome, salt, chain_hash "
                          "FROM audit_entries").fetchall()
        outside = [r for r in rows if r[0] is None or r[0] >= size]
        if not outside or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    if outside:
        return [f"{len(outside)} of {len(rows)} audit entries are not in the signed checkpoint of size {size}"]
    leaves = [entry_leaf(*r[1:]) for r in sorted(rows, key=lambda r: r[0])]
    if len(leaves) != size or mth(leaves) != root:
        return [f"the signed root of size {size} is not the tree of the {len(leaves)} stored entries"]
    failures = []
    for index in sorted({0, size // 2, size - 1}) if size else ():
        status, proof = get(port, f"/v1/audit/proof?index={index}&size={size}")
        path = [base64.b64decode(h) for h in json.loads(proof)["inclusion"]] if status == 200 else None
        if path is None or not verify_inclusion(index, size, leaves[index], path, root):
            failures.append(f"the inclusion proof of entry {index} in size {size} does not verify")
    return failures
