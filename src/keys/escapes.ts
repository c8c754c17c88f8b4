// The backslash escapes of `write` and `send` (SPEC §3, §3a and §16): `\n \r \t \e \0 \\ \xHH
// \uHHHH \u{H…}`. `\b \f \v` are not decoded: a regular expression's `\b` typed into python or vim
// must arrive as typed (backspace is `\x08` or the `backspace` key). `\xHH` is a raw byte so agents
// can send any byte at all; `\u` escapes are code points sent as UTF-8; everything else is UTF-8
// text. An unknown or incomplete escape is kept exactly as typed, as the baseline did, so a stray
// backslash in ordinary text never fails a write.

const utf8 = new TextEncoder();

/** Single-character escapes and the byte each one stands for. */
const SIMPLE_ESCAPES: ReadonlyMap<string, number> = new Map([
  ["n", 0x0a],
  ["r", 0x0d],
  ["t", 0x09],
  ["e", 0x1b],
  ["0", 0x00],
  ["\\", 0x5c],
]);

const MAX_CODE_POINT = 0x10ffff;
/** `\u{…}` takes 1 to 6 hex digits, enough for any code point and no more. */
const MAX_BRACED_DIGITS = 6;

/** One decoded escape: how many characters of the text it spans, and what it stands for. */
type Escape = { length: number; byte: number } | { length: number; codePoint: number };

/** UTF-8 bytes of `text` (a lone surrogate becomes U+FFFD, as TextEncoder does). */
export function encodeUtf8(text: string): Uint8Array {
  return utf8.encode(text);
}

/** Decodes the escapes of `text` into the bytes to send. Never throws. */
export function decodeEscapes(text: string): Uint8Array {
  return decodeWith(text, false);
}

/**
 * Decodes the escapes in raw input bytes (stdin), leaving every other byte exactly as it was, so
 * binary or non-UTF-8 input survives while `\n` and friends are still decoded.
 */
export function decodeEscapeBytes(input: Uint8Array): Uint8Array {
  if (input.indexOf(0x5c) === -1) return input;
  // latin1 maps each byte to one char 0-255; escape syntax is ASCII so parsing is unchanged.
  return decodeWith(Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString("latin1"), true);
}

function decodeWith(text: string, latin1: boolean): Uint8Array {
  let backslash = text.indexOf("\\");
  // Most writes carry no escape at all: skip the byte-by-byte work for them.
  if (backslash === -1) return latin1 ? new Uint8Array(Buffer.from(text, "latin1")) : utf8.encode(text);
  const out = new ByteBuilder(text.length, latin1);
  // Start of the run of plain text not yet copied; kept-as-typed escapes simply stay in the run.
  let runStart = 0;
  while (backslash !== -1) {
    const escape = parseEscape(text, backslash);
    if (escape === undefined) {
      backslash = text.indexOf("\\", backslash + 1);
      continue;
    }
    out.pushText(text.slice(runStart, backslash));
    if ("byte" in escape) out.pushByte(escape.byte);
    else out.pushCodePoint(escape.codePoint);
    runStart = backslash + escape.length;
    backslash = text.indexOf("\\", runStart);
  }
  out.pushText(text.slice(runStart));
  return out.finish();
}

/** The escape starting at the backslash at `at`, or undefined when it is unknown or incomplete. */
function parseEscape(text: string, at: number): Escape | undefined {
  const letter = text[at + 1];
  if (letter === undefined) return undefined;
  const simple = SIMPLE_ESCAPES.get(letter);
  if (simple !== undefined) return { length: 2, byte: simple };
  if (letter === "x") return parseHexByte(text, at);
  if (letter === "u") return text[at + 2] === "{" ? parseBracedCodePoint(text, at) : parseFourDigitCodePoint(text, at);
  return undefined;
}

/** `\xHH`: exactly two hex digits, taken as a raw byte (not UTF-8 encoded). */
function parseHexByte(text: string, at: number): Escape | undefined {
  const value = readHex(text, at + 2, 2);
  return value === undefined ? undefined : { length: 4, byte: value };
}

/**
 * `\uHHHH`. A high surrogate followed by a `\uHHHH` low surrogate is one code point (as in JSON and
 * JavaScript); a surrogate on its own has no UTF-8 encoding and is kept as typed.
 */
function parseFourDigitCodePoint(text: string, at: number): Escape | undefined {
  const value = readHex(text, at + 2, 4);
  if (value === undefined) return undefined;
  if (!isSurrogate(value)) return { length: 6, codePoint: value };
  if (!isHighSurrogate(value) || text[at + 6] !== "\\" || text[at + 7] !== "u") return undefined;
  const low = readHex(text, at + 8, 4);
  if (low === undefined || !isLowSurrogate(low)) return undefined;
  return { length: 12, codePoint: 0x10000 + ((value - 0xd800) << 10) + (low - 0xdc00) };
}

/** `\u{H…}`: 1 to 6 hex digits naming a code point that UTF-8 can encode. */
function parseBracedCodePoint(text: string, at: number): Escape | undefined {
  const digitsStart = at + 3;
  // Look for the brace only as far as the longest valid escape: a search through the rest of a
  // large write for every `\u{` would make decoding quadratic.
  const head = text.slice(digitsStart, digitsStart + MAX_BRACED_DIGITS + 1);
  const digitCount = head.indexOf("}");
  if (digitCount < 1) return undefined;
  const value = readHex(text, digitsStart, digitCount);
  if (value === undefined || value > MAX_CODE_POINT || isSurrogate(value)) return undefined;
  return { length: digitCount + 4, codePoint: value };
}

/** The value of exactly `count` hex digits at `start`, or undefined if any of them is not one. */
function readHex(text: string, start: number, count: number): number | undefined {
  if (start + count > text.length) return undefined;
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = hexDigitValue(text.charCodeAt(i));
    if (digit === undefined) return undefined;
    value = value * 16 + digit;
  }
  return value;
}

function hexDigitValue(code: number): number | undefined {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10;
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
  return undefined;
}

function isSurrogate(value: number): boolean {
  return value >= 0xd800 && value <= 0xdfff;
}

function isHighSurrogate(value: number): boolean {
  return value >= 0xd800 && value <= 0xdbff;
}

function isLowSurrogate(value: number): boolean {
  return value >= 0xdc00 && value <= 0xdfff;
}

/**
 * A growable byte array. Writes can be many megabytes of escaped text, so the output is built in
 * place rather than as one small array per escape.
 */
class ByteBuilder {
  private bytes: Uint8Array;
  private length = 0;

  /** latin1: text chars are bytes (0-255) copied as they are, not UTF-8 encoded. */
  constructor(expected: number, private readonly latin1 = false) {
    this.bytes = new Uint8Array(Math.max(16, expected));
  }

  pushText(text: string): void {
    if (text.length === 0) return;
    if (this.latin1) {
      this.ensureRoom(text.length);
      for (let i = 0; i < text.length; i++) this.bytes[this.length++] = text.charCodeAt(i);
      return;
    }
    // One UTF-16 code unit never needs more than 3 UTF-8 bytes.
    this.ensureRoom(text.length * 3);
    const { written } = utf8.encodeInto(text, this.bytes.subarray(this.length));
    this.length += written;
  }

  pushByte(byte: number): void {
    this.ensureRoom(1);
    this.bytes[this.length++] = byte;
  }

  pushCodePoint(codePoint: number): void {
    this.ensureRoom(4);
    if (codePoint < 0x80) {
      this.bytes[this.length++] = codePoint;
    } else if (codePoint < 0x800) {
      this.bytes[this.length++] = 0xc0 | (codePoint >> 6);
      this.bytes[this.length++] = 0x80 | (codePoint & 0x3f);
    } else if (codePoint < 0x10000) {
      this.bytes[this.length++] = 0xe0 | (codePoint >> 12);
      this.bytes[this.length++] = 0x80 | ((codePoint >> 6) & 0x3f);
      this.bytes[this.length++] = 0x80 | (codePoint & 0x3f);
    } else {
      this.bytes[this.length++] = 0xf0 | (codePoint >> 18);
      this.bytes[this.length++] = 0x80 | ((codePoint >> 12) & 0x3f);
      this.bytes[this.length++] = 0x80 | ((codePoint >> 6) & 0x3f);
      this.bytes[this.length++] = 0x80 | (codePoint & 0x3f);
    }
  }

  /** The bytes written, in an array of exactly their size (callers may hand `.buffer` on). */
  finish(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  private ensureRoom(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(needed, this.bytes.length * 2));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
}
