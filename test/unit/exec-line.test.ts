// The command-line model exec decides from (line.ts), fish's quoting, and /proc state parsing.
import { describe, expect, test } from "bun:test";
import { applyInput, CLEAN_LINE, CommandLine, type LineKind } from "../../src/holder/exec/line.ts";
import { buildFishScript, fishQuoteBytes } from "../../src/holder/exec/script-fish.ts";

const enc = new TextEncoder();

describe("applyInput: what typed bytes leave on the line", () => {
  const cases: Array<[string, string, LineKind]> = [
    ["nothing", "", "clean"],
    ["text without Enter", ":::::", "typed"],
    ["text then Ctrl-U", "half typed\x15", "clean"],
    ["text then backspaces to empty", "ab\x7f\x7f", "clean"],
    ["text then fewer backspaces", "abc\x7f\x7f", "typed"],
    ["backspace on an empty line", "\x7f", "clean"],
    ["UTF-8 counts as one character per backspace", "é\x7f", "clean"],
    ["Enter", "cd /\r", "submitted"],
    ["an open quote", 'echo "unterminated\r', "submitted"],
    ["an open here-document", "cat <<EOF\r", "submitted"],
    ["text after Enter stays submitted", "cat <<EOF\rmore", "submitted"],
    ["Ctrl-U after Enter does not make it clean", "cat <<EOF\r\x15", "submitted"],
    ["Ctrl-C", "abc\x03", "interrupted"],
    ["Ctrl-C after Enter", 'echo "x\r\x03', "interrupted"],
    ["text after Ctrl-C is a new line", "abc\x03xy", "typed"],
    ["an arrow key: the cursor moved, Ctrl-U no longer known to clear", "abc\x1b[D\x15", "typed"],
    ["Tab completion", "ec\t", "typed"],
  ];
  for (const [name, input, kind] of cases) test(name, () => expect(applyInput(CLEAN_LINE, enc.encode(input)).kind).toBe(kind));

  test("split across writes as in one", () => {
    const once = applyInput(CLEAN_LINE, enc.encode("abc\x7f\x7f\x7f"));
    let s = CLEAN_LINE;
    for (const part of ["ab", "c\x7f", "\x7f\x7f"]) s = applyInput(s, enc.encode(part));
    expect(s).toEqual(once);
  });
});

describe("CommandLine", () => {
  test("a prompt makes the line clean; touched remembers any input", () => {
    const line = new CommandLine(false);
    expect(line.touched).toBe(false);
    line.note(enc.encode("abc"));
    expect([line.touched, line.state.kind]).toEqual([true, "typed"]);
    line.prompted();
    expect(line.state.kind).toBe("clean");
  });
  test("fish: Ctrl-C typed by someone leaves a clean line; other shells wait for the prompt", () => {
    const fish = new CommandLine(true);
    fish.note(enc.encode("abc\x03"));
    expect(fish.state.kind).toBe("clean");
    const bash = new CommandLine(false);
    bash.note(enc.encode("abc\x03"));
    expect(bash.state.kind).toBe("interrupted");
  });
});

describe("fish quoting and script", () => {
  const cases: Array<[string, string]> = [
    ["plain", "'plain'"],
    ["it's", "'it\\'s'"],
    ["a\\b", "'a\\\\b'"],
    ["$HOME (x) \"q\"", "'$HOME (x) \"q\"'"],
    ["", "''"],
  ];
  for (const [raw, quoted] of cases) test(`quotes ${JSON.stringify(raw)}`, () => expect(new TextDecoder().decode(fishQuoteBytes(enc.encode(raw)))).toBe(quoted));

  test("the script holds the command quoted, the nonce in its S mark, and no ESC byte", () => {
    const text = new TextDecoder().decode(buildFishScript({ secret: "abc123", nonce: "n0nce", command: enc.encode("echo 'x'\0") }));
    expect(text).toContain("set -g __ds_cmd 'echo \\'x\\''\n");
    expect(text).toContain("__ds_mark S n0nce");
    expect(text).toContain("697;abc123;");
    expect(text.includes("\x1b")).toBe(false);
  });
  test("refuses a secret or nonce that is not alphanumeric", () => {
    expect(() => buildFishScript({ secret: "a;b", nonce: "n", command: new Uint8Array() })).toThrow();
  });
});
