// The app's own check of its records in the audit log (web/shared/transparency.js, R-S8),
// in node's WebCrypto: the tree against Certificate Transparency's published test tree,
// a checkpoint and proof computed apart from the verifier (tests/browser/support/
// tlog_vectors.py: hashlib, and Ed25519 by the `cryptography` module or openssl) kept
// here as a known answer, every leaf of trees of many sizes from the same script at run
// time, and each thing a log could tamper with: the entry, a proof hash, the root, the
// signature, the key, the size and the index.

import "../web/support/page_globals.js";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import {
  fromBase64, leafHash, parseCheckpoint, parseVerifierKey, rootFromInclusionProof, verifyNote, verifyRecordProof,
} from "../../web/shared/transparency.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const hex = (text) => Uint8Array.from(text.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
const toHex = (bytes) => Buffer.from(bytes).toString("hex");
const b64 = (bytes) => Buffer.from(bytes).toString("base64");

// Certificate Transparency's test tree (RFC 6962 reference code, merkle_tree_test): the
// eight leaves, the root of each prefix and some inclusion proofs.
const kCtLeaves = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];
const kCtRoots = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
const kCtProofs = [
  { index: 0, size: 8, path: ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"] },
  { index: 5, size: 8, path: ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
  { index: 2, size: 3, path: ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
  { index: 1, size: 5, path: ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"] },
  { index: 0, size: 1, path: [] },
];

// A known answer from `tlog_vectors.py 9d61…7f60 7` (the seed is RFC 8032's test 1 key,
// so the vkey's public key is that test's d75a98…511a): leaf 5 of a tree of 7, and a
// checkpoint of another tree of 7 (its last entry differs) signed by the same key.
const kKat = {
  origin: "essc.test/330200",
  vkey: "essc.test/audit+ecd4c64e+AddamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea",
  checkpoint: "essc.test/330200\n7\n4duIQTjLaOLH1n7L8BhSGEybnIPINIvBdRVWAnANiKI=\n\n" +
    "— essc.test/audit 7NTGTnpY0IZ35vsKp1N60oH4tWAqgYfBm84Sm9M93PPv+Ez/MVgNMFp98kuKloy/KSHJsToD6kAhM0E3PMaJxevNFwE=\n",
  forkCheckpoint: "essc.test/330200\n7\nfTMEPROua3wTaXB1AdOhWT9MTrIXuLBsGqMtttNoBXE=\n\n" +
    "— essc.test/audit 7NTGThTCffexw1VsRBX+G+D8++Ohl4FIcG4SxamhXHJx5e/8v2qXzX0hzLv6f6WLCNWvaTZK7GKrfiTwO+7o/VsGPQA=\n",
  proof: {
    index: 5,
    entry_base64: "eyJhY3Rpb24iOiJlY2FyZC5wYXNzd29yZF9jaGFuZ2UiLCJhY3RvciI6ImNsaWVudDpjaF9nb3YiLCJhdCI6IjIwMjYtMTItMDRUMTA6MDA6MDUrMDg6MDAiLCJvdXRjb21lIjoib2siLCJzYWx0IjoiWEE3dU5lcHJqUk5NazB3TUgra1ppQT09IiwidGFyZ2V0IjoiYmluZGluZzpiXzAwMDUifQ==",
    leaf_hash: "R93ZkTaEgQde81GFWbvgM8E18bh8ElEOnTM2ffPhvbw=",
    inclusion: [
      "Gng7fuq9NBFNBAdZUDI/JoHClDHqG5n4IxM95HVuYX4=",
      "rvH321TPjdzVydNXRCeaSTi6AwAUcb3TdDEYv0zYF18=",
      "U1pLR7sfBkXBrxw4ddXZRku4XXYCcInN8Qbh+5vCAOM=",
    ],
  },
};

// The answer of GET /v1/ecards/{id}/records/proof for the known answer, with `changes`.
function katAnswer(changes = {}) {
  return { ...kKat.proof, size: 7, checkpoint: kKat.checkpoint, ...changes };
}

// `text` with `from` replaced by `to`; `from` must be there, so no case tests nothing.
function replaced(text, from, to) {
  assert.ok(text.includes(from), `${JSON.stringify(from)} is in ${JSON.stringify(text)}`);
  return text.replace(from, to);
}

// `base64` with bit 0 of byte `at` flipped.
function flipped(base64, at = 0) {
  const bytes = fromBase64(base64);
  bytes[at] ^= 1;
  return b64(bytes);
}

const check = (answer, options = {}) =>
  verifyRecordProof(answer, parseVerifierKey(kKat.vkey), { origin: kKat.origin, expectedIndex: 5, ...options });

test("leaf hashes and roots are Certificate Transparency's for its test tree (RFC 9162 §2.1.1)", async () => {
  const leaves = await Promise.all(kCtLeaves.map((leaf) => leafHash(hex(leaf))));
  for (const { index, size, path: proof } of kCtProofs) {
    const root = await rootFromInclusionProof(leaves[index], BigInt(index), BigInt(size), proof.map(hex));
    assert.equal(toHex(root), kCtRoots[size - 1], `leaf ${index} of ${size}`);
  }
});

test("an inclusion proof of the wrong length or for a leaf past the end is refused (RFC 9162 §2.1.3.2)", async () => {
  const leaf = await leafHash(hex(kCtLeaves[5]));
  const proof = kCtProofs[1].path.map(hex);
  await assert.rejects(rootFromInclusionProof(leaf, 5n, 8n, proof.slice(0, 2)), { reason: "bad_proof" });
  await assert.rejects(rootFromInclusionProof(leaf, 5n, 8n, [...proof, proof[0]]), { reason: "bad_proof" });
  await assert.rejects(rootFromInclusionProof(leaf, 8n, 8n, proof), { reason: "index_out_of_range" });
  // The same path read for another leaf or another size leads elsewhere.
  assert.notEqual(toHex(await rootFromInclusionProof(leaf, 4n, 8n, proof)), kCtRoots[7]);
  assert.notEqual(toHex(await rootFromInclusionProof(leaf, 5n, 7n, proof)), kCtRoots[6]);
});

test("the vkey names the platform's key and hash; a wrong hash, type or shape is refused", async () => {
  const verifier = await parseVerifierKey(kKat.vkey);
  assert.equal(verifier.name, "essc.test/audit");
  assert.equal(toHex(verifier.publicKey), "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  assert.equal(toHex(verifier.keyHash), "ecd4c64e");
  const [, name, hash, key] = /^([^+]+)\+([^+]+)\+(.+)$/.exec(kKat.vkey);
  const typed = fromBase64(key);
  typed[0] = 0x02;
  for (const bad of [`${name}+ecd4c64f+${key}`, `${name}+${hash}+${b64(typed)}`, `${name}+${hash}`,
    `other+${hash}+${key}`, `+${hash}+${key}`, `${name}+${hash}+${key.slice(4)}`, null]) {
    await assert.rejects(parseVerifierKey(bad), { reason: "bad_key" }, String(bad));
  }
});

// The example note of golang.org/x/mod/sumdb/note, which c2sp.org/signed-note follows
// (also src/crypto/signed_note_test.cpp's reference).
const kPeter = {
  vkey: "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
  text: "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n",
  signature: "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
};

test("the Go reference note verifies with its vkey, and not once a byte changes", async () => {
  const verifier = await parseVerifierKey(kPeter.vkey);
  const note = `${kPeter.text}\n${kPeter.signature}`;
  assert.equal((await verifyNote(note, verifier)).text, kPeter.text);
  await assert.rejects(verifyNote(replaced(note, "think", "thing"), verifier), { reason: "bad_signature" });
  await assert.rejects(verifyNote(replaced(note, "x08go/ZJ", "x08go/ZK"), verifier), { reason: "bad_signature" });
  await assert.rejects(verifyNote(note, await parseVerifierKey(kKat.vkey)), { reason: "no_signature" });
});

test("a checkpoint reads as origin, size and root, with its signature lines", () => {
  const checkpoint = parseCheckpoint(kKat.checkpoint);
  assert.equal(checkpoint.origin, kKat.origin);
  assert.equal(checkpoint.size, 7n);
  assert.equal(b64(checkpoint.rootHash), "4duIQTjLaOLH1n7L8BhSGEybnIPINIvBdRVWAnANiKI=");
  assert.equal(new TextDecoder().decode(checkpoint.body), kKat.checkpoint.split("\n\n")[0] + "\n");
  assert.deepEqual(checkpoint.signatures.map((s) => [s.name, toHex(s.keyHash), s.signature.length]), [["essc.test/audit", "ecd4c64e", 64]]);
  const [body, signatures] = kKat.checkpoint.split("\n\n");
  for (const bad of [body, `${body}\n\n${signatures}`.slice(0, -1), replaced(kKat.checkpoint, "\n7\n", "\n07\n"),
    replaced(kKat.checkpoint, "\n7\n", "\n-7\n"), replaced(kKat.checkpoint, "=\n\n", "\n\n"),
    replaced(kKat.checkpoint, "— ", "- "), `${body}\n\n`]) {
    assert.throws(() => parseCheckpoint(bad), { reason: "bad_checkpoint" }, JSON.stringify(bad));
  }
});

test("the known answer verifies: leaf 5 is in the signed tree of 7", async () => {
  const result = await check(katAnswer());
  assert.deepEqual({ ok: result.ok, index: result.index, size: result.size, origin: result.origin }, { ok: true, index: 5, size: 7, origin: kKat.origin });
  assert.equal(result.entry.target, "binding:b_0005");
  // Without the optional size and leaf_hash, and with a witness's cosignature after the
  // platform's (c2sp.org/tlog-cosignature, a key this check does not know), it still does.
  const cosigned = `${kKat.checkpoint}— witness.example/w1 ${b64(new Uint8Array(4 + 72).fill(7))}\n`;
  assert.equal((await check(katAnswer({ size: undefined, leaf_hash: undefined, checkpoint: cosigned }))).ok, true);
});

test("a tampered entry, proof hash, root or signature fails with the reason", async () => {
  const cases = [
    ["the entry", katAnswer({ entry_base64: flipped(kKat.proof.entry_base64, 40) }), "leaf_hash_mismatch"],
    ["the entry, leaf hash left out", katAnswer({ entry_base64: flipped(kKat.proof.entry_base64, 40), leaf_hash: undefined }), "root_mismatch"],
    ["the entry and its leaf hash", katAnswer({ entry_base64: flipped(kKat.proof.entry_base64, 40), leaf_hash: flipped(kKat.proof.leaf_hash) }), "leaf_hash_mismatch"],
    ["a proof hash", katAnswer({ inclusion: [kKat.proof.inclusion[0], flipped(kKat.proof.inclusion[1], 31), kKat.proof.inclusion[2]] }), "root_mismatch"],
    ["a proof hash dropped", katAnswer({ inclusion: kKat.proof.inclusion.slice(1) }), "bad_proof"],
    ["the proof's order", katAnswer({ inclusion: [...kKat.proof.inclusion].reverse() }), "root_mismatch"],
    ["the root, signature kept", katAnswer({ checkpoint: replaced(kKat.checkpoint, "4duIQ", "4duIR") }), "bad_signature"],
    ["the root, signed by the same key (a split view)", katAnswer({ checkpoint: kKat.forkCheckpoint }), "root_mismatch"],
    ["the size, signature kept", katAnswer({ checkpoint: replaced(kKat.checkpoint, "\n7\n", "\n8\n"), size: 8 }), "bad_signature"],
    ["the signature", katAnswer({ checkpoint: replaced(kKat.checkpoint, "98kuKloy", "98kuKloz") }), "bad_signature"],
    ["the signature's key hash", katAnswer({ checkpoint: replaced(kKat.checkpoint, "7NTGTnpY", "7NTGTXpY") }), "no_signature"],
    ["the signer's name", katAnswer({ checkpoint: replaced(kKat.checkpoint, "— essc.test/audit", "— essc.test/other") }), "no_signature"],
    ["a second, forged signature by the same key", katAnswer({ checkpoint: `${kKat.checkpoint}— essc.test/audit ${b64([...hex("ecd4c64e"), ...new Uint8Array(64)])}\n` }), "bad_signature"],
    ["the origin", katAnswer({ checkpoint: replaced(kKat.checkpoint, "330200", "310100") }), "wrong_origin"],
    ["the answer's size", katAnswer({ size: 8 }), "size_mismatch"],
    ["the answer's index", katAnswer({ index: 4 }), "wrong_index"],
    ["no checkpoint", katAnswer({ checkpoint: undefined }), "bad_checkpoint"],
    ["a proof hash not base64", katAnswer({ inclusion: ["not base64!", ...kKat.proof.inclusion.slice(1)] }), "bad_answer"],
    ["a short proof hash", katAnswer({ inclusion: [b64(new Uint8Array(31)), ...kKat.proof.inclusion.slice(1)] }), "bad_answer"],
  ];
  for (const [what, answer, reason] of cases) {
    const result = await check(answer);
    assert.equal(result.ok, false, what);
    assert.equal(result.reason, reason, what);
  }
  // Another key, or a malformed one, verifies nothing.
  const other = "essc.test/audit+c4674d69+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4";
  assert.equal((await verifyRecordProof(katAnswer(), parseVerifierKey(other))).reason, "no_signature");
  assert.equal((await verifyRecordProof(katAnswer(), parseVerifierKey("essc.test/audit+00000000+AQ=="))).reason, "bad_key");
  // An index past the tree the checkpoint signs.
  const past = await verifyRecordProof(katAnswer({ index: 7, size: 7 }), parseVerifierKey(kKat.vkey));
  assert.equal(past.reason, "index_out_of_range");
});

// tlog_vectors.py at run time, with a fresh key: every leaf of trees around the powers of
// two; each proof against the next tree's checkpoint and against a forked tree fails.
test("every leaf of trees of 1…17, 31…33 and 64 leaves from an independent builder verifies", async (t) => {
  const sizes = [...Array.from({ length: 17 }, (_, i) => i + 1), 31, 32, 33, 64];
  const run = spawnSync("python3", [path.join(here, "support", "tlog_vectors.py"), randomBytes(32).toString("hex"), ...sizes.map(String)],
    { encoding: "utf8", maxBuffer: 64 << 20 });
  if (run.error || run.status !== 0) {
    // python3 is installed with the server (scripts/install-deps.sh); openssl signs when
    // the cryptography module is missing. Without either there is nothing to compare with.
    t.skip(`tlog_vectors.py did not run: ${run.error?.message ?? run.stderr}`);
    return;
  }
  const vectors = JSON.parse(run.stdout);
  const verifier = parseVerifierKey(vectors.vkey);
  for (const [n, tree] of vectors.trees.entries()) {
    const next = vectors.trees[n + 1];
    for (const proof of tree.proofs) {
      const answer = { ...proof, size: tree.size, checkpoint: tree.checkpoint };
      const result = await verifyRecordProof(answer, verifier, { origin: vectors.origin, expectedIndex: proof.index });
      assert.deepEqual([result.ok, result.size, result.reason], [true, tree.size, undefined], `leaf ${proof.index} of ${tree.size}`);
      const forked = await verifyRecordProof({ ...answer, checkpoint: tree.fork_checkpoint }, verifier);
      assert.equal(forked.ok, false, `leaf ${proof.index} of ${tree.size} against a forked tree`);
      if (next) {
        const stale = await verifyRecordProof({ ...answer, size: undefined, checkpoint: next.checkpoint }, verifier);
        assert.equal(stale.ok, false, `leaf ${proof.index} of ${tree.size} against the tree of ${next.size}`);
      }
    }
  }
});
