// Reed–Solomon error correction over GF(256) with the QR Code field polynomial
// x^8 + x^4 + x^3 + x^2 + 1 and generator roots α^0 … α^(n−1): syndromes,
// Berlekamp–Massey for the error locator, Chien search for the positions and Forney's
// formula for the values.

const kFieldPolynomial = 0x11d;
const kExp = new Uint8Array(512);
const kLog = new Uint8Array(256);
{
  let value = 1;
  for (let power = 0; power < 255; power += 1) {
    kExp[power] = value;
    kLog[value] = power;
    value <<= 1;
    if (value & 0x100) value ^= kFieldPolynomial;
  }
  for (let power = 255; power < 512; power += 1) kExp[power] = kExp[power - 255];
}

function multiply(a, b) {
  return a === 0 || b === 0 ? 0 : kExp[kLog[a] + kLog[b]];
}

function divide(a, b) {
  return a === 0 ? 0 : kExp[kLog[a] + 255 - kLog[b]];
}

/** Evaluates a polynomial given lowest degree first. */
function evaluate(polynomial, x) {
  let result = 0;
  for (let i = polynomial.length - 1; i >= 0; i -= 1) result = multiply(result, x) ^ polynomial[i];
  return result;
}

/** S_j = r(α^j); the codeword's first byte is its highest-degree coefficient. */
function syndromes(codeword, ecCount) {
  const result = new Uint8Array(ecCount);
  for (let j = 0; j < ecCount; j += 1) {
    const root = kExp[j];
    let value = 0;
    for (const byte of codeword) value = multiply(value, root) ^ byte;
    result[j] = value;
  }
  return result;
}

/** The error locator Λ (lowest degree first) by Berlekamp–Massey. */
function errorLocator(syndrome) {
  let locator = [1];
  let previous = [1];
  let length = 0;
  let shift = 1;
  let previousDiscrepancy = 1;
  for (let n = 0; n < syndrome.length; n += 1) {
    let discrepancy = syndrome[n];
    for (let i = 1; i <= length; i += 1) discrepancy ^= multiply(locator[i] ?? 0, syndrome[n - i]);
    if (discrepancy === 0) {
      shift += 1;
      continue;
    }
    const scale = divide(discrepancy, previousDiscrepancy);
    const updated = locator.slice();
    for (let i = 0; i < previous.length; i += 1) {
      updated[i + shift] = (updated[i + shift] ?? 0) ^ multiply(scale, previous[i]);
    }
    if (2 * length <= n) {
      previous = locator;
      length = n + 1 - length;
      previousDiscrepancy = discrepancy;
      shift = 1;
    } else {
      shift += 1;
    }
    locator = updated;
  }
  return { locator: locator.slice(0, length + 1), length };
}

/**
 * Corrects a block of data codewords followed by ecCount error-correction codewords in
 * place. Returns false when the errors exceed what the code can correct.
 */
export function correctErrors(codeword, ecCount) {
  const syndrome = syndromes(codeword, ecCount);
  if (syndrome.every((s) => s === 0)) return true;
  const { locator, length } = errorLocator(syndrome);
  if (2 * length > ecCount) return false;
  // Ω = S·Λ mod x^ecCount
  const evaluator = new Uint8Array(ecCount);
  for (let i = 0; i < ecCount; i += 1) {
    for (let j = 0; j <= i && j < locator.length; j += 1) evaluator[i] ^= multiply(locator[j], syndrome[i - j]);
  }
  const derivative = locator.map((c, i) => (i % 2 === 1 ? c : 0)).slice(1);
  const n = codeword.length;
  let found = 0;
  for (let power = 0; power < n; power += 1) {
    const inverse = kExp[(255 - power) % 255];
    if (evaluate(locator, inverse) !== 0) continue;
    const denominator = evaluate(derivative, inverse);
    if (denominator === 0) return false;
    const magnitude = multiply(kExp[power], divide(evaluate(evaluator, inverse), denominator));
    codeword[n - 1 - power] ^= magnitude;
    found += 1;
  }
  if (found !== length) return false;
  return syndromes(codeword, ecCount).every((s) => s === 0);
}
