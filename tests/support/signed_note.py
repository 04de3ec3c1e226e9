"""C2SP signed notes and checkpoints (c2sp.org/signed-note, c2sp.org/tlog-checkpoint)
read with Python's `cryptography`, for the tests that check the platform's log from
outside its C++."""

import base64
import hashlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

EM_DASH = "\u2014"
ED25519 = 0x01


def key_hash(name, key_type, public_key):
    return hashlib.sha256(name.encode() + b"\n" + bytes([key_type]) + public_key).digest()[:4]


def verify_checkpoint(note, vkey):
    """(origin, size, root) of the checkpoint `note` if it carries a valid Ed25519
    signature by the verifier key `vkey` (`name+hash+base64(0x01 ‖ key)`); raises
    ValueError otherwise."""
    name, hash_hex, typed = vkey.split("+", 2)
    typed = base64.b64decode(typed)
    if typed[0] != ED25519 or key_hash(name, ED25519, typed[1:]).hex() != hash_hex:
        raise ValueError("not an Ed25519 verifier key: " + vkey)
    body, _, signatures = note.partition("\n\n")
    body += "\n"
    public_key = Ed25519PublicKey.from_public_bytes(typed[1:])
    prefix = "%s %s " % (EM_DASH, name)
    for line in signatures.splitlines():
        if not line.startswith(prefix):
            continue
        raw = base64.b64decode(line[len(prefix):])
        if raw[:4].hex() == hash_hex and len(raw) == 4 + 64:
            public_key.verify(raw[4:], body.encode())  # raises InvalidSignature
            origin, size, root = body.split("\n")[:3]
            return origin, int(size), base64.b64decode(root)
    raise ValueError("no signature by %s on the note" % name)
