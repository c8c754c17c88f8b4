import { expect, test } from "bun:test";
import { findDetachKey, parseDetachKey } from "../../src/client/attach/detach-key.ts";

const enc = (s: string) => new TextEncoder().encode(s);

const parsed: Array<[string, number | null]> = [
  ["ctrl+\\", 0x1c],
  ["C-\\", 0x1c],
  ["^\\", 0x1c],
  ["ctrl+]", 0x1d],
  ["^]", 0x1d],
  ["ctrl+a", 0x01],
  ["^A", 0x01],
  ["CTRL+Z", 0x1a],
  ["ctrl+_", 0x1f],
  ["none", null],
  ["NONE", null],
];
for (const [text, byte] of parsed) {
  test(`parseDetachKey(${JSON.stringify(text)})`, () => {
    const key = parseDetachKey(text);
    if (byte === null) expect(key.forms).toEqual([]);
    else expect(Array.from(key.forms[0]!)).toEqual([byte]);
  });
}

for (const bad of ["a", "x", "escape", "ctrl+[", "f12", "up", "enter+x", "", "^", "^AB", "space", "alt+a"]) {
  test(`parseDetachKey(${JSON.stringify(bad)}) is refused with INVALID_KEY`, () => {
    expect(() => parseDetachKey(bad)).toThrow();
    try {
      parseDetachKey(bad);
    } catch (err) {
      expect((err as { code: string }).code).toBe("INVALID_KEY");
    }
  });
}

const found: Array<[string, string, { index: number; length: number } | null]> = [
  ["ctrl+\\", "abc", null],
  ["ctrl+\\", "\x1c", { index: 0, length: 1 }],
  ["ctrl+\\", "ab\x1ccd\x1c", { index: 2, length: 1 }],
  ["ctrl+]", "ab\x1c", null],
  // The kitty keyboard protocol and modifyOtherKeys forms of the same key.
  ["ctrl+\\", "x\x1b[92;5u", { index: 1, length: 7 }],
  ["ctrl+\\", "\x1b[27;5;92~y", { index: 0, length: 10 }],
  ["ctrl+a", "\x1b[97;5u", { index: 0, length: 7 }],
  ["ctrl+]", "\x1b[93;5u", { index: 0, length: 7 }],
  // The earliest of several forms wins.
  ["ctrl+\\", "\x1b[92;5u\x1c", { index: 0, length: 7 }],
  // Not the key: other modifiers, other keys, an incomplete form.
  ["ctrl+\\", "\x1b[92;3u\x1b[93;5u\x1b[92;5", null],
  ["none", "\x1c\x1d", null],
];
for (const [key, input, expected] of found) {
  test(`findDetachKey(${key}, ${JSON.stringify(input)})`, () => {
    expect(findDetachKey(enc(input), parseDetachKey(key))).toEqual(expected);
  });
}
