// The cardholder's own check that a record is in the platform's audit log (R-S8, API.md
// "Audit log: a transparency log"): the log's signed checkpoint verified with the
// platform's published note key, then the record's entry proven to be a leaf of the tree
// that checkpoint commits to. Only WebCrypto is used (SHA-256 and Ed25519), no library.
//
//   key:        GET /v1/audit/key → {origin, key_name, vkey}
//   proof:      GET /v1/ecards/{binding_id}/records/proof?index=I → {index, size?,
//               entry_base64, leaf_hash?, inclusion: [base64…], checkpoint}
//   result:     {ok: true, index, size, entry} or {ok: false, reason, index?, size?}
//
// Formats:
//   vkey        <name>+<8 hex: key hash>+<base64(0x01 ‖ Ed25519 public key)>
//               key hash = SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key)[0..4]  (c2sp.org/signed-note)
//   checkpoint  body ‖ "\n" ‖ signature lines; body = origin "\n" size "\n" base64(root) "\n"
//               (extension lines may follow, c2sp.org/tlog-checkpoint); a signature line
//               is "— <name> <base64(key hash ‖ signature)>\n", U+2014 then a space; lines
//               by other keys (witness cosignatures) are ignored.
//   tree        RFC 9162 §2.1, SHA-256: leaf = H(0x00 ‖ entry), node = H(0x01 ‖ left ‖ right);
//               inclusion checked as RFC 9162 §2.1.3.2 says.
//
// The checks run in a fixed order and the first that fails names the result's `reason`:
// bad_key, bad_checkpoint, wrong_origin, no_signature, bad_signature, bad_answer,
// wrong_index, size_mismatch, index_out_of_range, leaf_hash_mismatch, bad_proof,
// root_mismatch.

const kHashBytes = 32;
const kKeyHashBytes = 4;
const kEd25519KeyBytes = 32;
const kEd25519SignatureBytes = 64;
const kAlgorithmEd25519 = 0x01;  // the signed-note signature type of Ed25519
const kProofLengthMax = 64;      // a tree of at most 2^64 leaves has no longer path
const kNoteBytesMax = 1 << 20;   // the signed-note spec's own bound on a note
const kSignatureLinesMax = 100;  // the signed-note spec's bound on signatures per note

const encoder = new TextEncoder();

/** Thrown inside this module for a malformed input; turned into a result's `reason`. */
class Refusal extends Error {
  constructor(reason, detail) {
    super(detail ?? reason);
    this.reason = reason;
  }
}

function subtle() {
  const api = globalThis.crypto?.subtle;
  if (!api) throw new Error("WebCrypto (crypto.subtle) is not available: the page must be served over HTTPS or from localhost");
  return api;
}

/** Bytes from standard, padded base64; null for anything else. */
export function fromBase64(text) {
  if (typeof text !== "string" || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; ++i) diff |= a[i] ^ b[i];
  return diff === 0;
}

export async function sha256(bytes) {
  return new Uint8Array(await subtle().digest("SHA-256", bytes));
}

/** RFC 9162 §2.1.1: the hash of a leaf holding `entry`. */
export function leafHash(entry) {
  return sha256(concat(Uint8Array.of(0x00), entry));
}

function nodeHash(left, right) {
  return sha256(concat(Uint8Array.of(0x01), left, right));
}

/** SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key)[0..4]: the key hash of c2sp.org/signed-note. */
export async function keyHash(name, publicKey) {
  const digest = await sha256(concat(encoder.encode(`${name}\n`), Uint8Array.of(kAlgorithmEd25519), publicKey));
  return digest.slice(0, kKeyHashBytes);
}

function validKeyName(name) {
  return name.length > 0 && !/[\s+]/u.test(name);
}

/**
 * The Ed25519 note verifier of `vkey`: {name, keyHash, publicKey, key (a CryptoKey)}.
 * Throws a Refusal("bad_key") when the text is malformed, the type is not Ed25519 or the
 * stated key hash is not the key's.
 */
export async function parseVerifierKey(vkey) {
  // The name and the hash end at the first two "+"; base64 may hold more of them.
  const match = typeof vkey === "string" ? /^([^+]*)\+([^+]*)\+(.*)$/su.exec(vkey) : null;
  if (!match) throw new Refusal("bad_key", "a vkey is name+hash+key");
  const [, name, hashHex, keyBase64] = match;
  if (!validKeyName(name) || !/^[0-9a-f]{8}$/.test(hashHex)) throw new Refusal("bad_key", "bad name or key hash");
  const typed = fromBase64(keyBase64);
  if (!typed || typed.length !== 1 + kEd25519KeyBytes || typed[0] !== kAlgorithmEd25519) {
    throw new Refusal("bad_key", "not an Ed25519 key");
  }
  const publicKey = typed.slice(1);
  const hash = await keyHash(name, publicKey);
  const stated = Uint8Array.from(hashHex.match(/../g), (pair) => Number.parseInt(pair, 16));
  if (!equalBytes(hash, stated)) throw new Refusal("bad_key", "the key hash is not the key's");
  let key;
  try {
    key = await subtle().importKey("raw", publicKey, { name: "Ed25519" }, false, ["verify"]);
  } catch {
    throw new Refusal("bad_key", "the public key does not import");
  }
  return { name, keyHash: hash, publicKey, key };
}

/**
 * A signed note's parts (c2sp.org/signed-note): {text (the body as a string), body (its
 * bytes, as signed), signatures: [{name, keyHash, signature}]}. Throws
 * Refusal("bad_checkpoint") for text that is not a note.
 */
export function parseNote(text) {
  if (typeof text !== "string" || text.length > kNoteBytesMax || !text.endsWith("\n")) {
    throw new Refusal("bad_checkpoint", "a note ends with a newline");
  }
  const split = text.lastIndexOf("\n\n");
  if (split < 0) throw new Refusal("bad_checkpoint", "no blank line before the signatures");
  const body = text.slice(0, split + 1);
  const signatureLines = text.slice(split + 2, -1).split("\n");
  if (signatureLines.length > kSignatureLinesMax) throw new Refusal("bad_checkpoint", "too many signatures");
  const signatures = signatureLines.map((line) => {
    const match = /^\u2014 (\S+) (\S+)$/u.exec(line);
    const blob = match && fromBase64(match[2]);
    if (!blob || blob.length <= kKeyHashBytes) throw new Refusal("bad_checkpoint", "bad signature line");
    return { name: match[1], keyHash: blob.slice(0, kKeyHashBytes), signature: blob.slice(kKeyHashBytes) };
  });
  return { text: body, body: encoder.encode(body), signatures };
}

/**
 * Verifies the note `text` with `verifier` (from parseVerifierKey) and resolves to its
 * parts (parseNote); throws a Refusal otherwise. Lines by other keys (witnesses) are left
 * alone, but a line of the verifier's name and key hash that does not verify is a
 * failure even when another of the same key does: a note carrying a forged signature is
 * refused.
 */
export async function verifyNote(text, verifier) {
  const note = parseNote(text);
  const ours = note.signatures.filter((s) => s.name === verifier.name && equalBytes(s.keyHash, verifier.keyHash));
  if (!ours.length) throw new Refusal("no_signature");
  for (const { signature } of ours) {
    const valid = signature.length === kEd25519SignatureBytes &&
      await subtle().verify({ name: "Ed25519" }, verifier.key, signature, note.body);
    if (!valid) throw new Refusal("bad_signature");
  }
  return note;
}

/**
 * The checkpoint in a note's body: {origin, size (BigInt), rootHash}; extension lines
 * after the root are allowed and ignored (c2sp.org/tlog-checkpoint). Throws
 * Refusal("bad_checkpoint").
 */
export function parseCheckpointBody(body) {
  const lines = body.slice(0, -1).split("\n");
  if (lines.length < 3) throw new Refusal("bad_checkpoint", "a checkpoint body has three lines");
  const [origin, sizeText, rootText] = lines;
  if (!origin || !/^(0|[1-9][0-9]{0,19})$/.test(sizeText)) throw new Refusal("bad_checkpoint", "bad origin or size");
  const rootHash = fromBase64(rootText);
  if (!rootHash || rootHash.length !== kHashBytes) throw new Refusal("bad_checkpoint", "bad root hash");
  return { origin, size: BigInt(sizeText), rootHash };
}

/** A checkpoint note's parts: parseNote's and parseCheckpointBody's together. */
export function parseCheckpoint(text) {
  const note = parseNote(text);
  return { ...note, ...parseCheckpointBody(note.text) };
}

/**
 * Verifies the checkpoint note `text` with `verifier`; `origin`, when given, must be the
 * checkpoint's. Resolves to the parsed checkpoint; throws a Refusal otherwise. The body is
 * read before the signature is checked, so a malformed note says so whatever signs it.
 */
export async function verifyCheckpoint(text, verifier, origin = null) {
  const checkpoint = parseCheckpoint(text);
  if (origin !== null && checkpoint.origin !== origin) throw new Refusal("wrong_origin");
  await verifyNote(text, verifier);
  return checkpoint;
}

/**
 * RFC 9162 §2.1.3.2: the root the inclusion `proof` (an array of 32-byte hashes) leads to
 * from `leaf` at `index` in a tree of `size` leaves (index and size as BigInt). Throws
 * Refusal("index_out_of_range") or Refusal("bad_proof") when the path cannot be that tree's.
 */
export async function rootFromInclusionProof(leaf, index, size, proof) {
  if (index >= size) throw new Refusal("index_out_of_range");
  let fn = index;
  let sn = size - 1n;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0n) throw new Refusal("bad_proof", "the path is longer than the tree is deep");
    if ((fn & 1n) === 1n || fn === sn) {
      r = await nodeHash(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) throw new Refusal("bad_proof", "the path is shorter than the tree is deep");
  return r;
}

function decodeProof(answer) {
  if (!answer || typeof answer !== "object") throw new Refusal("bad_answer");
  const entry = fromBase64(answer.entry_base64);
  const index = Number.isSafeInteger(answer.index) && answer.index >= 0 ? BigInt(answer.index) : null;
  const inclusion = Array.isArray(answer.inclusion) && answer.inclusion.length <= kProofLengthMax
    ? answer.inclusion.map(fromBase64) : null;
  if (!entry || index === null || !inclusion || inclusion.some((p) => !p || p.length !== kHashBytes) ||
      typeof answer.checkpoint !== "string") {
    throw new Refusal("bad_answer");
  }
  let stated = null;
  if (answer.leaf_hash !== undefined && answer.leaf_hash !== null) {
    stated = fromBase64(answer.leaf_hash);
    if (!stated || stated.length !== kHashBytes) throw new Refusal("bad_answer");
  }
  let size = null;
  if (answer.size !== undefined && answer.size !== null) {
    if (!Number.isSafeInteger(answer.size) || answer.size < 0) throw new Refusal("bad_answer");
    size = BigInt(answer.size);
  }
  return { entry, index, inclusion, statedLeafHash: stated, size };
}

function entryJson(entry) {
  try {
    const parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(entry));
    return parsed && typeof parsed === "object" ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * Checks a record's proof answer end to end. `verifier` is parseVerifierKey's result (or
 * a promise of it); `expectedIndex`, when given, is the record's audit_index, which the
 * answer must be about; `origin` the log's origin from GET /v1/audit/key. Never throws for
 * a bad answer: resolves to {ok: true, index, size, entry} or {ok: false, reason, ...}.
 * Sizes and indices are Numbers in the result (the log stays far below 2^53 entries).
 * Rejects only when the check cannot run at all (no WebCrypto), which says nothing of
 * the record.
 */
export async function verifyRecordProof(answer, verifier, { expectedIndex = null, origin = null } = {}) {
  let index = null;
  let size = null;
  try {
    const key = await verifier;  // a Refusal("bad_key") from parseVerifierKey is this result's reason
    const checkpoint = await verifyCheckpoint(answer?.checkpoint, key, origin);
    size = Number(checkpoint.size);
    const proof = decodeProof(answer);
    index = Number(proof.index);
    if (expectedIndex !== null && proof.index !== BigInt(expectedIndex)) throw new Refusal("wrong_index");
    if (proof.size !== null && proof.size !== checkpoint.size) throw new Refusal("size_mismatch");
    const leaf = await leafHash(proof.entry);
    if (proof.statedLeafHash && !equalBytes(leaf, proof.statedLeafHash)) throw new Refusal("leaf_hash_mismatch");
    const root = await rootFromInclusionProof(leaf, proof.index, checkpoint.size, proof.inclusion);
    if (!equalBytes(root, checkpoint.rootHash)) throw new Refusal("root_mismatch");
    return { ok: true, index, size, origin: checkpoint.origin, entry: entryJson(proof.entry) };
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    return { ok: false, reason: err.reason, detail: err.message, index, size };
  }
}

/** The reasons a result may carry, in the order the checks run. */
export const kReasons = [
  "bad_key", "bad_checkpoint", "wrong_origin", "no_signature", "bad_signature", "bad_answer",
  "wrong_index", "size_mismatch", "index_out_of_range", "leaf_hash_mismatch", "bad_proof", "root_mismatch",
];

export { Refusal };
