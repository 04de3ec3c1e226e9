#!/usr/bin/env python3
"""Test vectors for web/shared/transparency.js, computed apart from it: the Merkle tree of
RFC 9162 §2.1 with Python's hashlib, inclusion proofs by the recursive PATH of §2.1.3.1
(not the verifier's loop), and the checkpoint signed as a C2SP signed note with Ed25519
by the `cryptography` module when it is installed, else by `openssl pkeyutl -rawin`.

    tlog_vectors.py SEED_HEX SIZE...

prints one JSON object: {vkey, origin, trees: [{size, checkpoint, fork_checkpoint,
proofs: [{index, entry_base64, leaf_hash, inclusion}]}]}, every leaf of every tree
proven; fork_checkpoint is signed by the same key for a tree of the same size whose last
entry differs (a split view), so no proof of `proofs` may verify against it.
"""

import base64
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "support"))
from rfc9162 import inclusion_path, leaf_hash, mth, sha256  # noqa: E402

ORIGIN = "essc.test/330200"
KEY_NAME = "essc.test/audit"
# PKCS#8 of an Ed25519 private key (RFC 8410), the 32-byte seed follows.
PKCS8_ED25519_PREFIX = bytes.fromhex("302e020100300506032b657004220420")


def entry(i, fork=False):
    record = {
        "action": "settlement.create" if i % 2 == 0 else "ecard.password_change",
        "actor": "client:ch_gov",
        "at": "2026-12-04T10:%02d:%02d+08:00" % (i // 60 % 60, i % 60),
        "outcome": "refused" if fork else "ok",
        "salt": base64.b64encode(sha256(b"salt %d" % i)[:16]).decode(),
        "target": "binding:b_%04d" % i,
    }
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


class Signer:
    def __init__(self, seed):
        self.seed = seed
        try:
            from cryptography.hazmat.primitives import serialization
            from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
            key = Ed25519PrivateKey.from_private_bytes(seed)
            self._sign = key.sign
            self.public_key = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        except ImportError:
            self._dir = tempfile.mkdtemp(prefix="tlog-vectors-")
            self._pem = os.path.join(self._dir, "key.pem")
            der = PKCS8_ED25519_PREFIX + seed
            pem = "-----BEGIN PRIVATE KEY-----\n" + base64.b64encode(der).decode() + "\n-----END PRIVATE KEY-----\n"
            with open(self._pem, "w") as f:
                f.write(pem)
            spki = subprocess.run(["openssl", "pkey", "-in", self._pem, "-pubout", "-outform", "DER"],
                                  check=True, capture_output=True).stdout
            self.public_key = spki[-32:]
            self._sign = self._openssl_sign

    def _openssl_sign(self, message):
        message_path = os.path.join(self._dir, "message")
        with open(message_path, "wb") as f:
            f.write(message)
        return subprocess.run(["openssl", "pkeyutl", "-sign", "-rawin", "-inkey", self._pem, "-in", message_path],
                              check=True, capture_output=True).stdout

    def sign(self, message):
        signature = self._sign(message)
        assert len(signature) == 64
        return signature


def b64(data):
    return base64.b64encode(data).decode()


def main():
    seed = bytes.fromhex(sys.argv[1])
    sizes = [int(s) for s in sys.argv[2:]]
    signer = Signer(seed)
    key_hash = sha256(KEY_NAME.encode() + b"\n" + b"\x01" + signer.public_key)[:4]
    vkey = "%s+%s+%s" % (KEY_NAME, key_hash.hex(), b64(b"\x01" + signer.public_key))
    entries = [entry(i) for i in range(max(sizes))]
    hashes = [leaf_hash(e) for e in entries]

    def checkpoint_of(leaves):
        body = "%s\n%d\n%s\n" % (ORIGIN, len(leaves), b64(mth(leaves)))
        signature = signer.sign(body.encode())
        return body + "\n" + "\u2014 %s %s\n" % (KEY_NAME, b64(key_hash + signature))

    trees = []
    for size in sizes:
        leaves = hashes[:size]
        checkpoint = checkpoint_of(leaves)
        fork_checkpoint = checkpoint_of(leaves[:-1] + [leaf_hash(entry(size - 1, fork=True))])
        proofs = [{"index": i, "entry_base64": b64(entries[i]), "leaf_hash": b64(leaves[i]),
                   "inclusion": [b64(h) for h in inclusion_path(i, leaves)]} for i in range(size)]
        trees.append({"size": size, "checkpoint": checkpoint, "fork_checkpoint": fork_checkpoint, "proofs": proofs})
    json.dump({"vkey": vkey, "origin": ORIGIN, "trees": trees}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
