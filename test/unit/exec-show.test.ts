// What a watcher is shown of an exec (holder/exec/show.ts) and the mark filter's replacements that
// put it in the output stream (holder/exec/marks.ts).
import { describe, expect, test } from "bun:test";
import { Terminal } from "@xterm/headless";
import { EXEC_SHOW_MAX_CHARS, EXEC_SHOW_MAX_LINES } from "../../src/constants.ts";
import { MarkFilter, type Mark } from "../../src/holder/exec/marks.ts";
import { findEcho, redrawEcho, renderCommand, visibleText } from "../../src/holder/exec/show.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

describe("renderCommand", () => {
  const cases: Array<[string, string, string]> = [
    ["a plain command", "make test", "make test"],
    ["the final newline of a command read from stdin", "make test\n", "make test"],
    ["several final newlines, CRLF too", "ls\r\n\n", "ls"],
    ["quotes, $ and backslashes as typed", `echo "a'b" 'c"d' $HOME \\ \\n`, `echo "a'b" 'c"d' $HOME \\ \\n`],
    ["continuation lines after the shells' PS2", "for i in 1 2; do\n  echo $i\ndone\n", "for i in 1 2; do\r\n>   echo $i\r\n> done"],
    ["an empty line inside", "a\n\nb", "a\r\n> \r\n> b"],
    ["ESC in caret notation", "echo \x1b[2J\x1b]0;t\x07", "echo ^[[2J^[]0;t^G"],
    ["CR and DEL", "a\rb\x7f", "a^Mb^?"],
    ["a C1 control (CSI) as cat -v shows it", "a\u009b2Jb", "aM-^[2Jb"],
    ["a tab stays a tab", "a\tb", "a\tb"],
    ["unicode untouched", "echo héllo 日本 🎉", "echo héllo 日本 🎉"],
    ["NUL dropped", "ec\0ho", "echo"],
    ["invalid UTF-8 replaced", "a\xff", "a\ufffd"],
    ["nothing", "", ""],
  ];
  for (const [name, command, shown] of cases) {
    test(name, () => {
      const bytes = name === "invalid UTF-8 replaced" ? Uint8Array.from([0x61, 0xff]) : enc(command);
      expect(renderCommand(bytes)).toBe(shown);
    });
  }

  test("nothing that reaches the terminal is a control character but CR, LF and tab", () => {
    const every = Uint8Array.from({ length: 256 }, (_, i) => i);
    const shown = renderCommand(Buffer.concat([every, enc("\u0080\u0085\u009b\u009f")]));
    const controls = [...shown].filter((c) => /[\x00-\x1f\x7f-\x9f]/.test(c) && !"\r\n\t".includes(c));
    expect(controls).toEqual([]);
    // Every CR is the one before a continuation line.
    expect(shown.split("\r").length).toBe(shown.split("\r\n> ").length);
  });

  test("a huge command is cut, saying how much was left out", () => {
    const many = Array.from({ length: EXEC_SHOW_MAX_LINES + 50 }, (_, i) => `echo ${i}`).join("\n");
    const shown = renderCommand(enc(many)).split("\r\n> ");
    expect(shown).toHaveLength(EXEC_SHOW_MAX_LINES + 1);
    expect(shown.at(-1)).toBe("… (50 more lines)");
    const long = renderCommand(enc("x".repeat(EXEC_SHOW_MAX_CHARS * 2)));
    expect(long).toBe(`${"x".repeat(EXEC_SHOW_MAX_CHARS)}…`);
  });

  test("visibleText leaves ordinary text as the same string", () => {
    const s = "plain text, ünïcode";
    expect(visibleText(s)).toBe(s);
  });
});

/** A real emulator fed `bytes`: its rows (trimmed, as read --screen gives them) and cursor. */
async function screenAfter(cols: number, rows: number, bytes: string): Promise<{ lines: string[]; cursor: { row: number; col: number } }> {
  const t = new Terminal({ cols, rows, allowProposedApi: true });
  await new Promise<void>((resolve) => t.write(bytes, resolve));
  const b = t.buffer.active;
  const lines: string[] = [];
  for (let y = b.baseY; y < b.baseY + rows; y++) lines.push((b.getLine(y)?.translateToString(true) ?? "").trimEnd());
  const cursor = { row: b.cursorY, col: b.cursorX };
  t.dispose();
  return { lines, cursor };
}

describe("findEcho and redrawEcho over a real emulator", () => {
  const typed = " . /tmp/sessions/sess_0123456789ab/exec.sh";
  // [name, columns, the screen's stream up to the S mark, the rows above the command's, its prompt]
  const cases: Array<[string, number, string, string[], string]> = [
    ["a prompt and the echo on one row", 120, `old output\r\nbash-5.2$ ${typed}\r\n`, ["old output"], "bash-5.2$ "],
    ["the echo wrapped over three rows", 20, `bash-5.2$ ${typed}\r\n`, [], "bash-5.2$ "],
    ["an empty prompt", 40, `${typed}\r\n`, [], ""],
    ["a wide character in the prompt", 120, `日本 $ ${typed}\r\n`, [], "日本 $ "],
    ["the echo ending exactly at the last column", typed.length + 2, `$ ${typed}\r\n`, [], "$ "],
    ["the terminal echoed the line before the prompt, then the line editor", 120, `out\r\n${typed}\r\n$ ${typed}\r\n`, ["out"], "$ "],
    ["the same, wrapped", 20, `out\r\n${typed}\r\n$ ${typed}\r\n`, ["out"], "$ "],
    ["dash: the terminal's echo, then the prompt, the cursor after it", 120, `out\r\n${typed}\r\n$ `, ["out"], "$ "],
    ["the same, wrapped", 20, `out\r\n${typed}\r\n$ `, ["out"], "$ "],
  ];
  for (const [name, cols, stream, above, prompt] of cases) {
    test(`${name} (${cols} columns)`, async () => {
      const screen = await screenAfter(cols, 10, stream);
      const place = findEcho(screen.lines, screen.cursor, cols, typed);
      expect(place).not.toBeNull();
      const shown = renderCommand(enc("make test\nmake check"));
      const after = await screenAfter(cols, 10, stream + redrawEcho(place!, shown) + "ok\r\n");
      const expected = [...above, `${prompt}make test`, "> make check", "ok"];
      expect(after.lines.slice(0, expected.length)).toEqual(expected);
      expect(after.lines.slice(expected.length).every((l) => l === "")).toBe(true);
    });
  }

  test("not there: null", async () => {
    const screen = await screenAfter(40, 5, "$ something else\r\n");
    expect(findEcho(screen.lines, screen.cursor, 40, typed)).toBeNull();
  });

  test("the last of two echoes", async () => {
    const screen = await screenAfter(120, 10, `$ ${typed}\r\nout\r\n$ ${typed}\r\n`);
    expect(findEcho(screen.lines, screen.cursor, 120, typed)).toEqual({ up: 1, drop: 0, col: 2 });
  });
});

describe("MarkFilter replacements", () => {
  const SECRET = "0123abcdef";
  const S = `\x1b]697;${SECRET};S;ab12\x07`;
  const P = `\x1b]697;${SECRET};P;0\x07`;

  /** A filter whose S marks are replaced by `[shown]` once `release` is called. */
  function setup() {
    const events: string[] = [];
    let release: (text: string | null) => void = () => {};
    const f = new MarkFilter(
      SECRET,
      (mark: Mark) => events.push(`<${mark.kind}>`),
      (mark) => (mark.kind === "S" ? new Promise<string | null>((r) => (release = r)) : null),
    );
    const emit = (b: Uint8Array) => events.push(dec(b));
    return { f, events, emit, release: (t: string | null) => release(t) };
  }

  test("output after the mark waits for the replacement, which comes before the mark's report", async () => {
    const { f, events, emit, release } = setup();
    f.push(enc(`echo${S}out`), emit);
    f.push(enc(`more${P}$ `), emit);
    expect(events).toEqual(["echo"]);
    release("[shown]");
    await Bun.sleep(0);
    expect(events).toEqual(["echo", "[shown]", "<S>", "out", "more", "<P>", "$ "]);
  });

  test("a null replacement shows nothing", async () => {
    const { f, events, emit, release } = setup();
    f.push(enc(`a${S}b`), emit);
    release(null);
    await Bun.sleep(0);
    expect(events).toEqual(["a", "<S>", "b"]);
  });

  test("a mark split across chunks, and a second replacement in the queued output", async () => {
    const { f, events, emit, release } = setup();
    f.push(enc(`a${S.slice(0, 5)}`), emit);
    f.push(enc(`${S.slice(5)}b${S}`), emit);
    f.push(enc(`c`), emit);
    release("[1]");
    await Bun.sleep(0);
    expect(events).toEqual(["a", "[1]", "<S>", "b"]);
    release("[2]");
    await Bun.sleep(0);
    expect(events).toEqual(["a", "[1]", "<S>", "b", "[2]", "<S>", "c"]);
  });

  test("the stream ending while a replacement is prepared lets everything through, in order", async () => {
    const { f, events, emit, release } = setup();
    f.push(enc(`a${S}b${P}c\x1b]697`), emit);
    f.flush(emit);
    expect(events).toEqual(["a", "<S>", "b", "<P>", "c", "\x1b]697"]);
    release("[late]");
    await Bun.sleep(0);
    expect(events).toEqual(["a", "<S>", "b", "<P>", "c", "\x1b]697"]);
  });
});
