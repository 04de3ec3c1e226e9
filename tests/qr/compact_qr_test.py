#!/usr/bin/env python3
"""The compact QR code (docs/qr-token.md "The compact form", R-U2) read and checked with
tools nobody here wrote, against a real `essc serve`:

  - a channel asks POST /v1/ecards/{binding_id}/qrcodes with "format": "compact" and
    gets a token `EC1:` + Base45 and its PNG;
  - `zbarimg` (Debian's zbar-tools) reads the PNG back to exactly the token;
  - the token is taken apart here, in Python, by the byte table of docs/qr-token.md,
    and its signature verifies with the `openssl` command line and the key GET /v1/keys
    publishes under the code's key id (the first four bytes of its SHA-256); the same
    signature over a changed byte does not;
  - the identity code checks the cardholder at an institution and the payment code
    settles a bill, once each;
  - all of it again with the server signing SM2 (security.qr_algorithm = "SM2"), whose
    r ‖ s is written as DER by `openssl asn1parse` before openssl verifies it.

Usage: compact_qr_test.py ESSC_BINARY [--workdir DIR] [--keep]
"""

import base64
import hashlib
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "crash"))
from crash_test import (PASSWORD, fast_env, folder_test_main, must, new_folder, request,  # noqa: E402
                        serve_on_free_port, serve_prepared)

BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
ED25519_SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")  # RFC 8410
CLAIMS_FIXED_BYTES = 22
SIGNATURE_BYTES = 64


def from_base45(text):
    """RFC 9285 §4.4, written from the RFC for this test."""
    if len(text) % 3 == 1:
        raise ValueError("length")
    out = bytearray()
    for i in range(0, len(text), 3):
        group = [BASE45.index(c) for c in text[i:i + 3]]
        n = sum(d * 45 ** k for k, d in enumerate(group))
        out += n.to_bytes(2 if len(group) == 3 else 1, "big")
    return bytes(out)


def zbarimg(path):
    answer = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", path],
                            capture_output=True, text=True)
    return answer.stdout.rstrip("\n")


def openssl_verifies(folder, key, algorithm, message, signature):
    """Whether `openssl pkeyutl -verify` accepts `signature` over `message` with the
    published `key` (base64 of /v1/keys)."""
    public = base64.b64decode(key)
    paths = {name: os.path.join(folder, name) for name in ("key.der", "signed.bin", "sig.bin", "sig.cnf")}
    with open(paths["signed.bin"], "wb") as f:
        f.write(message)
    if algorithm == "Ed25519":
        with open(paths["key.der"], "wb") as f:
            f.write(ED25519_SPKI_PREFIX + public)
        with open(paths["sig.bin"], "wb") as f:
            f.write(signature)
        extra = []
    else:
        with open(paths["key.der"], "wb") as f:
            f.write(public)
        with open(paths["sig.cnf"], "w") as f:
            f.write(f"asn1=SEQUENCE:sig\n[sig]\nr=INTEGER:0x{signature[:32].hex()}\n"
                    f"s=INTEGER:0x{signature[32:].hex()}\n")
        subprocess.run(["openssl", "asn1parse", "-genconf", paths["sig.cnf"], "-out", paths["sig.bin"]],
                       check=True, capture_output=True)
        extra = ["-digest", "sm3", "-pkeyopt", "distid:1234567812345678"]
    answer = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-keyform", "DER", "-inkey",
                             paths["key.der"], "-rawin", *extra, "-in", paths["signed.bin"], "-sigfile",
                             paths["sig.bin"]], capture_output=True, text=True)
    return answer.returncode == 0


def check_code(fail, folder, keys, token, png, purpose, algorithm):
    """zbarimg, the byte table and openssl on one issued code."""
    path = os.path.join(folder, f"{purpose}.png")
    with open(path, "wb") as f:
        f.write(png)
    read = zbarimg(path)
    if read != token:
        fail(f"{algorithm} {purpose}: zbarimg read {read!r}, the token is {token!r}")
    if not token.startswith("EC1:") or any(c not in BASE45 for c in token[4:]):
        return fail(f"{algorithm} {purpose}: not a compact token: {token!r}")
    raw = from_base45(token[4:])
    claims, signature = raw[:-SIGNATURE_BYTES], raw[-SIGNATURE_BYTES:]
    header, key_id = claims[0], claims[1:5]
    issued_at = int.from_bytes(claims[5:9], "big")
    if header != {"identity": 0x11, "payment": 0x12}[purpose]:
        fail(f"{algorithm} {purpose}: header {header:#x}")
    if claims[9] != 60 or abs(issued_at - time.time()) > 30:
        fail(f"{algorithm} {purpose}: iat {issued_at}, lifetime {claims[9]}")
    if len(claims) != CLAIMS_FIXED_BYTES + 18:
        fail(f"{algorithm} {purpose}: {len(claims)} bytes of claims, a holder's code has 40")
    named = [k for k in keys if hashlib.sha256(base64.b64decode(k["public_key"])).digest()[:4] == key_id]
    if len(named) != 1 or named[0]["alg"] != algorithm:
        return fail(f"{algorithm} {purpose}: key id {key_id.hex()} names {named}")
    key = named[0]["public_key"]
    if not openssl_verifies(folder, key, algorithm, b"EC1:" + claims, signature):
        fail(f"{algorithm} {purpose}: openssl does not verify the signature")
    changed = bytearray(claims)
    changed[9] ^= 1  # one more second of life
    if openssl_verifies(folder, key, algorithm, b"EC1:" + bytes(changed), signature):
        fail(f"{algorithm} {purpose}: openssl verifies a changed claim")


def issue(api, channel, holder, purpose):
    answer = must(api.signed(channel, "POST", f"/v1/ecards/{holder['binding']}/qrcodes",
                             {"purpose": purpose, "format": "compact", "png": True},
                             {"X-Essc-Session": holder["session"]}), 201)
    return answer["token"], base64.b64decode(answer["png_base64"])


def exercise(fail, folder, server, api, channel, institutions, holder, algorithm, order):
    keys = must(request(server.port, "GET", "/v1/keys"), 200)["keys"]
    hospital = next(i for i in institutions if i["kind"] == "hospital")
    identity, png = issue(api, channel, holder, "identity")
    check_code(fail, folder, keys, identity, png, "identity", algorithm)
    checked = must(api.signed(hospital, "POST", "/v1/identity/verify", {"qr_token": identity}), 200)
    if "*" not in checked["name_masked"]:
        fail(f"{algorithm}: identity check answered {checked}")
    again = api.signed(hospital, "POST", "/v1/identity/verify", {"qr_token": identity})
    if again[0] != 422 or again[1]["error"]["code"] != "QR_USED":
        fail(f"{algorithm}: a second use answered {again}")
    payment, png = issue(api, channel, holder, "payment")
    check_code(fail, folder, keys, payment, png, "payment", algorithm)
    bill = {"qr_token": payment, "order_id": order, "visit": "pharmacy",
            "items": [{"code": "A1", "name": "药品", "category": "A", "quantity": 1, "unit_price_fen": 1500}]}
    settled = must(api.signed(hospital, "POST", "/v1/settlements", bill), 201)
    if settled["total_fen"] != 1500:
        fail(f"{algorithm}: settlement answered {settled}")


def run(essc, root):
    failures = []
    fail = failures.append
    data = os.path.join(root, "data")
    env = fast_env()
    _, channel, institutions = new_folder(essc, data, env)
    server, api, _, _, holders = serve_prepared(essc, data, env, channel)
    try:
        exercise(fail, root, server, api, channel, institutions, holders[0], "Ed25519", "compact-ed")
    finally:
        server.stop()
    used_nonces = api.nonce
    server, api = serve_on_free_port(essc, data, dict(env, ESSC_SECURITY_QR_ALGORITHM="SM2"))
    api.nonce = used_nonces  # the store remembers the nonces of the first server's requests
    try:
        holder = dict(holders[1])
        holder["session"] = must(api.signed(channel, "POST", f"/v1/ecards/{holder['binding']}/sessions",
                                            {"password": PASSWORD}), 201)["session_token"]
        exercise(fail, root, server, api, channel, institutions, holder, "SM2", "compact-sm")
    finally:
        server.stop()
    if not failures:
        print("compact codes: zbarimg read them, openssl verified Ed25519 and SM2, both settled")
    return failures


def main():
    return folder_test_main(__doc__, "essc-compact-qr-", run)


if __name__ == "__main__":
    sys.exit(main())
