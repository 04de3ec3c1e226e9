// What a cardholder's code says about itself before it is sent (docs/qr-token.md): its
// purpose and when it expires, read from the unsigned-looking but signed payload. This is
// only a hint for the cashier; the platform verifies the signature and decides.

const kPrefix = "ESSC1.";

/** {purpose, expiresAt (ms)} from an ESSC1 token, or null when it is not shaped like one. */
export function readCodeInfo(token) {
  if (!token.startsWith(kPrefix)) return null;
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  try {
    const base64 = parts[1].replaceAll("-", "+").replaceAll("_", "/");
    const bytes = Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "=")), (c) => c.charCodeAt(0));
    const payload = JSON.parse(new TextDecoder().decode(bytes));
    if (!["identity", "payment"].includes(payload.pur) || !Number.isSafeInteger(payload.exp)) return null;
    return { purpose: payload.pur, expiresAt: payload.exp * 1000 };
  } catch {
    return null;
  }
}

/** Whole seconds left before `expiresAt`, never negative. */
export function secondsLeft(expiresAt, now = Date.now()) {
  return Math.max(0, Math.ceil((expiresAt - now) / 1000));
}
