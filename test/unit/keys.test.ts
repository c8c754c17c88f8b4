import { describe, expect, test } from "bun:test";
import { DeltaError, ErrorCode } from "../../src/errors.ts";
import { decodeEscapes } from "../../src/keys/escapes.ts";
import { encodeKey, encodeKeys, listKeys, validateKeys, type KeyModes } from "../../src/keys/keys.ts";
import { makeRandom } from "../helpers/random.ts";

const NORMAL: KeyModes = { applicationCursor: false };
const APPLICATION: KeyModes = { applicationCursor: true };

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

/** Hex of an ASCII string with `^[` standing for ESC, so expectations read like terminal docs. */
function esc(sequence: string): string {
  return hex(new TextEncoder().encode(sequence.replaceAll("^[", "\x1b")));
}

/** The error a call throws (fails the test if it throws nothing). */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  throw new Error("expected a throw");
}

function expectInvalidKey(run: () => unknown): DeltaError {
  const err = thrown(run);
  expect(err).toBeInstanceOf(DeltaError);
  expect((err as DeltaError).code).toBe(ErrorCode.INVALID_KEY);
  return err as DeltaError;
}


const BASELINE_NAMES = [
  "enter", "tab", "escape", "space", "backspace", "delete", "insert", "home", "end", "page_up", "page_down",
  "arrow_up", "arrow_down", "arrow_left", "arrow_right",
  ...Array.from({ length: 12 }, (_, i) => `f${i + 1}`),
  ..."abcdefghijklmnopqrstuvwxyz".split("").map((letter) => `ctrl+${letter}`),
];

// [name, expected hex in normal mode, expected hex under DECCKM (omitted: same as normal)]
const CASES: Array<[string, string, string?]> = [
  // control keys
  ["enter", "0d"],
  ["return", "0d"],
  ["tab", "09"],
  ["escape", "1b"],
  ["esc", "1b"],
  ["space", "20"],
  ["backspace", "7f"],
  ["bs", "7f"],
  // editing and paging keys
  ["insert", esc("^[[2~")],
  ["ins", esc("^[[2~")],
  ["delete", esc("^[[3~")],
  ["del", esc("^[[3~")],
  ["page_up", esc("^[[5~")],
  ["pgup", esc("^[[5~")],
  ["pageup", esc("^[[5~")],
  ["page_down", esc("^[[6~")],
  ["pgdn", esc("^[[6~")],
  ["pagedown", esc("^[[6~")],
  // cursor keys follow DECCKM
  ["arrow_up", esc("^[[A"), esc("^[OA")],
  ["arrow_down", esc("^[[B"), esc("^[OB")],
  ["arrow_right", esc("^[[C"), esc("^[OC")],
  ["arrow_left", esc("^[[D"), esc("^[OD")],
  ["up", esc("^[[A"), esc("^[OA")],
  ["down", esc("^[[B"), esc("^[OB")],
  ["right", esc("^[[C"), esc("^[OC")],
  ["left", esc("^[[D"), esc("^[OD")],
  ["home", esc("^[[H"), esc("^[OH")],
  ["end", esc("^[[F"), esc("^[OF")],
  // function keys
  ["f1", esc("^[OP")],
  ["f2", esc("^[OQ")],
  ["f3", esc("^[OR")],
  ["f4", esc("^[OS")],
  ["f5", esc("^[[15~")],
  ["f6", esc("^[[17~")],
  ["f7", esc("^[[18~")],
  ["f8", esc("^[[19~")],
  ["f9", esc("^[[20~")],
  ["f10", esc("^[[21~")],
  ["f11", esc("^[[23~")],
  ["f12", esc("^[[24~")],
  // ctrl + letter and symbols
  ["ctrl+a", "01"],
  ["ctrl+c", "03"],
  ["ctrl+d", "04"],
  ["ctrl+h", "08"],
  ["ctrl+i", "09"],
  ["ctrl+m", "0d"],
  ["ctrl+z", "1a"],
  ["ctrl+space", "00"],
  ["ctrl+@", "00"],
  ["ctrl+2", "00"],
  ["ctrl+[", "1b"],
  ["ctrl+\\", "1c"],
  ["ctrl+]", "1d"],
  ["ctrl+^", "1e"],
  ["ctrl+_", "1f"],
  ["ctrl+/", "1f"],
  ["ctrl+?", "7f"],
  ["ctrl+8", "7f"],
  ["ctrl+backspace", "08"],
  // alt prefixes ESC
  ["alt+x", "1b78"],
  ["alt+X", "1b58"],
  ["alt+enter", "1b0d"],
  ["alt+backspace", "1b7f"],
  ["alt+escape", "1b1b"],
  ["alt+space", "1b20"],
  ["alt+-", "1b2d"],
  ["alt++", "1b2b"],
  ["ctrl+alt+x", "1b18"],
  ["alt+ctrl+x", "1b18"],
  ["ctrl+alt+space", "1b00"],
  // shift
  ["shift+tab", esc("^[[Z")],
  ["alt+shift+tab", esc("^[^[[Z")],
  ["shift+a", "41"],
  ["ctrl+shift+a", "01"],
  // modified cursor keys are always CSI 1;m X, whatever DECCKM says
  ["shift+up", esc("^[[1;2A"), esc("^[[1;2A")],
  ["alt+up", esc("^[[1;3A"), esc("^[[1;3A")],
  ["ctrl+left", esc("^[[1;5D"), esc("^[[1;5D")],
  ["ctrl+right", esc("^[[1;5C"), esc("^[[1;5C")],
  ["ctrl+shift+left", esc("^[[1;6D"), esc("^[[1;6D")],
  ["shift+ctrl+left", esc("^[[1;6D"), esc("^[[1;6D")],
  ["ctrl+alt+shift+down", esc("^[[1;8B"), esc("^[[1;8B")],
  ["ctrl+home", esc("^[[1;5H"), esc("^[[1;5H")],
  ["shift+end", esc("^[[1;2F"), esc("^[[1;2F")],
  // modified function and editing keys
  ["shift+f1", esc("^[[1;2P")],
  ["ctrl+f4", esc("^[[1;5S")],
  ["shift+f5", esc("^[[15;2~")],
  ["alt+f12", esc("^[[24;3~")],
  ["ctrl+delete", esc("^[[3;5~")],
  ["shift+page_up", esc("^[[5;2~")],
  ["ctrl+alt+insert", esc("^[[2;7~")],
  // single printable characters send themselves
  ["a", "61"],
  ["A", "41"],
  ["1", "31"],
  ["/", "2f"],
  ["-", "2d"],
  ["+", "2b"],
  ["\\", "5c"],
  ["é", "c3a9"],
  ["😀", "f09f9880"],
  ["alt+é", "1bc3a9"],
  // case-insensitive names
  ["ENTER", "0d"],
  ["Arrow_Up", esc("^[[A"), esc("^[OA")],
  ["CTRL+C", "03"],
  ["Ctrl+Shift+Left", esc("^[[1;6D")],
  ["PAGE_DOWN", esc("^[[6~")],
  ["F12", esc("^[[24~")],
  // tmux notation
  ["C-c", "03"],
  ["c-c", "03"],
  ["C-C", "03"],
  ["M-x", "1b78"],
  ["C-M-x", "1b18"],
  ["M-C-x", "1b18"],
  ["S-Up", esc("^[[1;2A")],
  ["C-Left", esc("^[[1;5D")],
  ["M--", "1b2d"],
  ["Enter", "0d"],
  ["BSpace", "7f"],
  ["BTab", esc("^[[Z")],
  ["DC", esc("^[[3~")],
  ["IC", esc("^[[2~")],
  ["NPage", esc("^[[6~")],
  ["PPage", esc("^[[5~")],
  ["Escape", "1b"],
  ["Space", "20"],
  ["Tab", "09"],
  ["Up", esc("^[[A"), esc("^[OA")],
  ["Down", esc("^[[B"), esc("^[OB")],
  ["Left", esc("^[[D"), esc("^[OD")],
  ["Right", esc("^[[C"), esc("^[OC")],
  ["Home", esc("^[[H"), esc("^[OH")],
  ["End", esc("^[[F"), esc("^[OF")],
  ["F1", esc("^[OP")],
  ["S-F5", esc("^[[15;2~")],
  ["C-Space", "00"],
  ["M-Enter", "1b0d"],
  // other spellings of the modifiers
  ["control+c", "03"],
  ["ctrl-c", "03"],
  ["meta+x", "1b78"],
  ["shift-tab", esc("^[[Z")],
];

describe("encodeKey", () => {
  // A rest parameter keeps the callback's arity at 0, so bun:test does not pass a `done` callback.
  test.each(CASES)("%p", (...[name, normal, application]: [string, string, string?]) => {
    expect(hex(encodeKey(name, NORMAL))).toBe(normal);
    expect(hex(encodeKey(name, APPLICATION))).toBe(application ?? normal);
  });

  test("all 53 baseline names are accepted", () => {
    expect(BASELINE_NAMES).toHaveLength(53);
    for (const name of BASELINE_NAMES) expect(encodeKey(name, NORMAL).length).toBeGreaterThan(0);
  });

  test("unknown names throw INVALID_KEY", () => {
    for (const name of ["", "ctlr+c", "enterr", "f13", "ctrl+", "ctrl", "hyper+a", "\t", "ab"]) expectInvalidKey(() => encodeKey(name, NORMAL));
  });

  test("combinations no terminal can send throw INVALID_KEY", () => {
    for (const name of ["shift+enter", "ctrl+enter", "ctrl+tab", "shift+escape", "shift+backspace", "ctrl+1", "ctrl+9", "shift+1", "shift+space", "ctrl++"]) {
      const err = expectInvalidKey(() => encodeKey(name, NORMAL));
      expect(err.message).toContain(JSON.stringify(name));
      expect(err.exitCode).toBe(2);
    }
  });
});

describe("error message", () => {
  test("names the bad key and the three closest valid names", () => {
    const err = expectInvalidKey(() => validateKeys(["ctlr+c"]));
    expect(err.message).toBe('unknown key "ctlr+c"; did you mean ctrl+c, ctrl+v, ctrl+x? (delta-sessions write-key --list shows every key)');
  });

  test.each([
    ["entr", "enter"],
    ["arow_up", "arrow_up"],
    ["pgup2", "pgup"],
    ["escpae", "escape"],
    ["f13", "f12"],
    ["Bspce", "bspace"],
  ])("%p suggests %p first", (typo, suggestion) => {
    const err = expectInvalidKey(() => validateKeys([typo]));
    expect(err.message).toContain(`did you mean ${suggestion},`);
  });

  test("keeps understood modifiers and corrects only the key", () => {
    const err = expectInvalidKey(() => validateKeys(["ctrl+shift+lfet"]));
    expect(err.message).toContain("did you mean ctrl+shift+left,");
    expect(expectInvalidKey(() => validateKeys(["C-Lfet"])).message).toContain("did you mean C-left,");
  });

  test("only suggests keys that can be sent", () => {
    const err = expectInvalidKey(() => validateKeys(["shift+entr"]));
    expect(err.message).not.toContain("shift+enter,");
    expect(err.message).not.toContain("shift+enter?");
  });

  test("every suggestion is itself a valid key", () => {
    for (const typo of ["ctlr+c", "xyzzy", "ctrl+shift+lfet", "alt+entr", "C-M-xx", "arrowup", "up!"]) {
      const message = expectInvalidKey(() => validateKeys([typo])).message;
      const listed = /did you mean (.*)\? \(/.exec(message)?.[1];
      expect(listed).toBeDefined();
      const suggestions = (listed ?? "").split(", ");
      expect(suggestions).toHaveLength(3);
      for (const suggestion of suggestions) expect(() => validateKeys([suggestion])).not.toThrow();
    }
  });

  test("an empty name gets no suggestions", () => {
    expect(expectInvalidKey(() => validateKeys([""])).message).toBe("key name is empty (delta-sessions write-key --list shows every key)");
  });
});

describe("validateKeys and encodeKeys", () => {
  test("validateKeys accepts a list of good names", () => {
    expect(() => validateKeys(["ctrl+c", "up", "Enter", "a", "C-M-x"])).not.toThrow();
    expect(() => validateKeys([])).not.toThrow();
  });

  test("validateKeys reports the first bad name", () => {
    const err = expectInvalidKey(() => validateKeys(["enter", "nope1", "nope2"]));
    expect(err.message).toContain('"nope1"');
    expect(err.message).not.toContain("nope2");
  });

  test("encodeKeys concatenates in order and follows DECCKM", () => {
    expect(hex(encodeKeys(["h", "i", "enter"], NORMAL))).toBe("68690d");
    expect(hex(encodeKeys(["up", "ctrl+c"], NORMAL))).toBe(esc("^[[A") + "03");
    expect(hex(encodeKeys(["up", "ctrl+c"], APPLICATION))).toBe(esc("^[OA") + "03");
    expect(encodeKeys([], NORMAL)).toHaveLength(0);
  });

  test("encodeKeys is all-or-nothing: a bad last name encodes nothing", () => {
    expectInvalidKey(() => encodeKeys(["ctrl+c", "up", "bogus"], NORMAL));
    expectInvalidKey(() => encodeKeys(["ctrl+c", "shift+enter"], NORMAL));
  });
});

describe("listKeys", () => {
  const entries = listKeys();

  test("starts with the baseline's 53 names, in order", () => {
    expect(entries.slice(0, 53).map((entry) => entry.name)).toEqual(BASELINE_NAMES);
  });

  test("lists the aliases and the extra ctrl and shift keys", () => {
    const byName = new Map(entries.map((entry) => [entry.name, entry]));
    expect(byName.get("arrow_up")?.aliases).toEqual(["up"]);
    expect(byName.get("delete")?.aliases).toContain("dc");
    expect(byName.get("page_down")?.aliases).toEqual(expect.arrayContaining(["pgdn", "npage"]));
    expect(byName.get("shift+tab")?.aliases).toContain("btab");
    expect(byName.has("ctrl+space")).toBe(true);
  });

  test("shows bytes in display form", () => {
    const byName = new Map(entries.map((entry) => [entry.name, entry.bytes]));
    expect(byName.get("arrow_up")).toBe("\\x1b[A");
    expect(byName.get("enter")).toBe("\\x0d");
    expect(byName.get("space")).toBe("\\x20");
    expect(byName.get("ctrl+\\")).toBe("\\x1c");
    expect(byName.get("f5")).toBe("\\x1b[15~");
  });

  test("every name and alias is valid, and its display form decodes to its bytes", () => {
    for (const entry of entries) {
      const bytes = encodeKey(entry.name, NORMAL);
      expect(decodeEscapes(entry.bytes)).toEqual(bytes);
      for (const alias of entry.aliases) expect(encodeKey(alias, NORMAL)).toEqual(bytes);
    }
  });

  test("names are unique across names and aliases", () => {
    const all = entries.flatMap((entry) => [entry.name, ...entry.aliases]);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe("random names", () => {
  const PIECES = ["ctrl+", "alt+", "shift+", "C-", "M-", "S-", "+", "-", "_", "up", "enter", "f1", "f", "1", "2", "x", "X", "page", "arrow", "é", "😀", " ", "\\", "[", "?", "\t", "\u0000", "\uD800", "ctrl", "tab"];

  function randomName(random: () => number): string {
    const length = Math.floor(random() * 6);
    let name = "";
    for (let i = 0; i < length; i++) name += PIECES[Math.floor(random() * PIECES.length)] ?? "";
    return name;
  }

  test("2000 random names either encode or throw INVALID_KEY, never anything else", () => {
    const random = makeRandom(0x6b657973);
    let accepted = 0;
    for (let i = 0; i < 2000; i++) {
      const name = randomName(random);
      let valid = true;
      try {
        validateKeys([name]);
      } catch (err) {
        valid = false;
        expect(err).toBeInstanceOf(DeltaError);
        expect((err as DeltaError).code).toBe(ErrorCode.INVALID_KEY);
      }
      if (valid) {
        accepted++;
        expect(encodeKey(name, NORMAL)).toBeInstanceOf(Uint8Array);
        expect(encodeKey(name, APPLICATION)).toBeInstanceOf(Uint8Array);
      } else {
        expectInvalidKey(() => encodeKey(name, NORMAL));
      }
    }
    // The generator must exercise both outcomes to mean anything.
    expect(accepted).toBeGreaterThan(50);
    expect(accepted).toBeLessThan(1950);
  });

  test("a very long bogus name fails quickly, with a shortened message", () => {
    const started = performance.now();
    const err = expectInvalidKey(() => validateKeys(["ctrl+".repeat(10_000) + "q".repeat(100_000)]));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(err.message.length).toBeLessThan(200);
  });
});
