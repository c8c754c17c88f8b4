import { describe, expect, test } from "bun:test";
import { decodeEscapes, encodeUtf8 } from "../../src/keys/escapes.ts";
import { makeRandom } from "../helpers/random.ts";

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}


// [input as the agent typed it, expected bytes as hex]
const CASES: Array<[string, string]> = [
  // plain text
  ["", ""],
  ["abc", "616263"],
  ["ls -la", "6c73202d6c61"],
  // every single-character escape
  ["\\n", "0a"],
  ["\\r", "0d"],
  ["\\t", "09"],
  // \b \f \v are kept as typed: a regex's word boundary arrives as \b
  ["\\b", "5c62"],
  ["\\f", "5c66"],
  ["\\v", "5c76"],
  ["\\bword\\b", "5c62776f72645c62"],
  ["\\e", "1b"],
  ["\\0", "00"],
  ["\\\\", "5c"],
  ["echo hi\\n", "6563686f2068690a"],
  ["\\e[A", "1b5b41"],
  // \0 is NUL alone; following digits are plain text
  ["\\012", "003132"],
  // \xHH: raw bytes, any value, either case, exactly two digits
  ["\\x41", "41"],
  ["\\x00", "00"],
  ["\\x7f", "7f"],
  ["\\x80", "80"],
  ["\\xff", "ff"],
  ["\\xFf", "ff"],
  ["\\xc3\\xa9", "c3a9"],
  ["\\x414", "4134"],
  ["\\x1b[1;5D", "1b5b313b3544"],
  // \uHHHH: code point as UTF-8
  ["\\u0041", "41"],
  ["\\u00e9", "c3a9"],
  ["\\u00E9", "c3a9"],
  ["\\u20ac", "e282ac"],
  ["\\u00411", "4131"],
  ["\\uD83D\\uDE00", "f09f9880"],
  // \u{H…}: 1 to 6 digits, up to U+10FFFF
  ["\\u{41}", "41"],
  ["\\u{0}", "00"],
  ["\\u{e9}", "c3a9"],
  ["\\u{1F600}", "f09f9880"],
  ["\\u{000041}", "41"],
  ["\\u{10FFFF}", "f48fbfbf"],
  // unknown or incomplete escapes are kept exactly as typed
  ["\\q", "5c71"],
  ["\\x1", "5c7831"],
  ["\\x", "5c78"],
  ["\\xZZ", "5c785a5a"],
  ["\\x1g", "5c783167"],
  ["\\u001", "5c75303031"],
  ["\\u", "5c75"],
  ["\\u{}", "5c757b7d"],
  ["\\u{41", "5c757b3431"],
  ["\\u{110000}", "5c757b3131303030307d"],
  ["\\u{0000041}", "5c757b303030303034317d"],
  ["\\u{g}", "5c757b677d"],
  ["\\uD800", "5c7544383030"],
  ["\\uDE00", "5c7544453030"],
  ["\\u{D83D}", "5c757b443833447d"],
  ["\\uD83Dx", "5c754438334478"],
  ["\\uD83D\\u0041", "5c754438334441"],
  ["\\", "5c"],
  ["abc\\", "6162635c"],
  ["\\ ", "5c20"],
  ["C:\\dir", "433a5c646972"],
  // an incomplete escape does not swallow a valid one right after it
  ["\\x\\x41", "5c7841"],
  ["\\u{\\n}", "5c757b0a7d"],
  // an escaped backslash is taken first
  ["\\\\n", "5c6e"],
  ["\\\\\\n", "5c0a"],
  ["\\\\x41", "5c783431"],
  ["\\\\\\\\", "5c5c"],
  // non-ASCII text is UTF-8, mixed freely with escapes
  ["é", "c3a9"],
  ["日本", "e697a5e69cac"],
  ["😀", "f09f9880"],
  ["é\\xff", "c3a9ff"],
  ["naïve\\n", "6e61c3af76650a"],
  ["\\u{1F600}😀", "f09f9880f09f9880"],
];

describe("decodeEscapes", () => {
  test.each(CASES)("%p", (input, expected) => {
    expect(hex(decodeEscapes(input))).toBe(expected);
  });

  test("returns an array of exactly the decoded size", () => {
    const bytes = decodeEscapes("a\\nb");
    expect(bytes.byteLength).toBe(3);
    expect(bytes.buffer.byteLength).toBe(3);
  });

  test("decodes a large escaped write completely", () => {
    const decoded = decodeEscapes("\\x41é".repeat(200_000));
    expect(decoded.length).toBe(600_000);
    expect(hex(decoded.subarray(0, 6))).toBe("41c3a941c3a9");
    expect(hex(decoded.subarray(-3))).toBe("41c3a9");
  });

  test("stays linear on many unterminated \\u{ escapes", () => {
    const started = performance.now();
    const input = "\\u{1".repeat(200_000);
    expect(decodeEscapes(input)).toEqual(encodeUtf8(input));
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe("decodeEscapes on random input", () => {
  const ALPHABET = ["\\", "\\", "\\", "x", "u", "{", "}", "0", "1", "7", "9", "a", "f", "F", "D", "d", "8", "e", "n", "q", " ", "é", "😀", "日", "\uD800", "\uDE00"];

  function randomString(random: () => number): string {
    const length = Math.floor(random() * 24);
    let text = "";
    for (let i = 0; i < length; i++) text += ALPHABET[Math.floor(random() * ALPHABET.length)] ?? "";
    return text;
  }

  test("2000 random strings never throw; without a backslash the result is the UTF-8 bytes", () => {
    const random = makeRandom(0xdec0de);
    for (let i = 0; i < 2000; i++) {
      const text = randomString(random);
      const decoded = decodeEscapes(text);
      expect(decoded).toBeInstanceOf(Uint8Array);
      const plain = text.replaceAll("\\", "");
      expect(decodeEscapes(plain)).toEqual(encodeUtf8(plain));
    }
  });

  test("doubling every backslash gives back the text itself", () => {
    const random = makeRandom(42);
    for (let i = 0; i < 2000; i++) {
      const text = randomString(random);
      expect(decodeEscapes(text.replaceAll("\\", "\\\\"))).toEqual(encodeUtf8(text));
    }
  });

  test("any bytes written as \\xHH come back unchanged", () => {
    const random = makeRandom(7);
    for (let i = 0; i < 200; i++) {
      const bytes = Uint8Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256));
      const escaped = [...bytes].map((byte) => `\\x${byte.toString(16).padStart(2, "0")}`).join("");
      expect(decodeEscapes(escaped)).toEqual(bytes);
    }
  });
});

describe("decodeEscapeBytes (stdin)", () => {
  const { decodeEscapeBytes } = require("../../src/keys/escapes.ts") as typeof import("../../src/keys/escapes.ts");
  const cases: Array<[string, number[], number[]]> = [
    ["no backslash: bytes untouched", [0xff, 0xfe, 0x00, 0x41], [0xff, 0xfe, 0x00, 0x41]],
    ["\\n decoded, invalid UTF-8 kept", [0xff, 0x5c, 0x6e, 0xfe], [0xff, 0x0a, 0xfe]],
    ["\\xHH decoded", [0x5c, 0x78, 0x30, 0x31], [0x01]],
    ["\\u{e9} becomes UTF-8", [0x5c, 0x75, 0x7b, 0x65, 0x39, 0x7d], [0xc3, 0xa9]],
    ["UTF-8 text around an escape kept byte for byte", [0xc3, 0xa9, 0x5c, 0x74, 0xe4, 0xb8, 0x96], [0xc3, 0xa9, 0x09, 0xe4, 0xb8, 0x96]],
    ["unknown escape kept", [0x5c, 0x71, 0x80], [0x5c, 0x71, 0x80]],
  ];
  for (const [name, input, expected] of cases) {
    test(name, () => expect(Array.from(decodeEscapeBytes(new Uint8Array(input)))).toEqual(expected));
  }
});
