// Decodes the data bit stream: a sequence of segments, each a 4-bit mode, a character
// count and the characters (numeric, alphanumeric, byte, kanji; ECI designators are
// read and byte data is taken as UTF-8, falling back to ISO-8859-1 as the standard
// defaults to).

const kAlphanumeric = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

const Mode = Object.freeze({
  terminator: 0x0,
  numeric: 0x1,
  alphanumeric: 0x2,
  structuredAppend: 0x3,
  byte: 0x4,
  fnc1First: 0x5,
  eci: 0x7,
  kanji: 0x8,
  fnc1Second: 0x9,
});

class BitReader {
  constructor(bytes) {
    this.bytes = bytes;
    this.position = 0;
  }

  available() {
    return this.bytes.length * 8 - this.position;
  }

  read(count) {
    if (count > this.available()) throw new RangeError('QR data ends early');
    let value = 0;
    for (let i = 0; i < count; i += 1) {
      const byte = this.bytes[(this.position + i) >> 3];
      value = (value << 1) | ((byte >> (7 - ((this.position + i) & 7))) & 1);
    }
    this.position += count;
    return value;
  }
}

function countBits(mode, version) {
  const band = version <= 9 ? 0 : version <= 26 ? 1 : 2;
  switch (mode) {
    case Mode.numeric: return [10, 12, 14][band];
    case Mode.alphanumeric: return [9, 11, 13][band];
    case Mode.byte: return [8, 16, 16][band];
    default: return [8, 10, 12][band];
  }
}

function readNumeric(reader, count, out) {
  let left = count;
  while (left >= 3) {
    const value = reader.read(10);
    if (value > 999) throw new RangeError('bad numeric group');
    out.push(...String(value).padStart(3, '0'));
    left -= 3;
  }
  if (left === 2) {
    const value = reader.read(7);
    if (value > 99) throw new RangeError('bad numeric group');
    out.push(...String(value).padStart(2, '0'));
  } else if (left === 1) {
    const value = reader.read(4);
    if (value > 9) throw new RangeError('bad numeric group');
    out.push(String(value));
  }
}

function readAlphanumeric(reader, count, out) {
  let left = count;
  while (left >= 2) {
    const value = reader.read(11);
    if (value >= 45 * 45) throw new RangeError('bad alphanumeric pair');
    out.push(kAlphanumeric[Math.floor(value / 45)], kAlphanumeric[value % 45]);
    left -= 2;
  }
  if (left === 1) {
    const value = reader.read(6);
    if (value >= 45) throw new RangeError('bad alphanumeric character');
    out.push(kAlphanumeric[value]);
  }
}

/** Kanji are 13-bit Shift JIS offsets; returns the Shift JIS bytes. */
function readKanji(reader, count) {
  const bytes = new Uint8Array(count * 2);
  for (let i = 0; i < count; i += 1) {
    const value = reader.read(13);
    let sjis = Math.floor(value / 0xc0) * 0x100 + (value % 0xc0);
    sjis += sjis < 0x1f00 ? 0x8140 : 0xc140;
    bytes[2 * i] = sjis >> 8;
    bytes[2 * i + 1] = sjis & 0xff;
  }
  return bytes;
}

function skipEciDesignator(reader) {
  const first = reader.read(8);
  if ((first & 0x80) === 0) return;
  if ((first & 0xc0) === 0x80) reader.read(8);
  else if ((first & 0xe0) === 0xc0) reader.read(16);
  else throw new RangeError('bad ECI designator');
}

function bytesToText(bytes) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('iso-8859-1').decode(bytes);
  }
}

/** The text carried by the data codewords, or null when the stream is malformed. */
export function decodeSegments(data, version) {
  const reader = new BitReader(data);
  const parts = [];
  let pending = [];
  const flush = () => {
    if (pending.length) parts.push(bytesToText(Uint8Array.from(pending)));
    pending = [];
  };
  try {
    while (reader.available() >= 4) {
      const mode = reader.read(4);
      if (mode === Mode.terminator) break;
      if (mode === Mode.eci) {
        skipEciDesignator(reader);
        continue;
      }
      if (mode === Mode.fnc1First || mode === Mode.fnc1Second) {
        if (mode === Mode.fnc1Second) reader.read(8);
        continue;
      }
      if (mode === Mode.structuredAppend) {
        reader.read(16);
        continue;
      }
      const count = reader.read(countBits(mode, version));
      if (mode === Mode.numeric || mode === Mode.alphanumeric) {
        const characters = [];
        if (mode === Mode.numeric) readNumeric(reader, count, characters);
        else readAlphanumeric(reader, count, characters);
        for (const character of characters) pending.push(character.charCodeAt(0));
      } else if (mode === Mode.byte) {
        for (let i = 0; i < count; i += 1) pending.push(reader.read(8));
      } else if (mode === Mode.kanji) {
        flush();
        parts.push(new TextDecoder('shift_jis').decode(readKanji(reader, count)));
      } else {
        return null;
      }
    }
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
  flush();
  return parts.join('');
}
