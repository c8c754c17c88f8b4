// Plain text (SPEC §3a): what a terminal would show, line by line.
import { describe, expect, test } from "bun:test";
import { AnsiStripper, stripAnsi } from "../../src/text/ansi.ts";

describe("stripAnsi: a whole text", () => {
  const cases: Array<[string, string, string]> = [
    ["plain text", "hello world", "hello world"],
    ["CRLF becomes LF", "a\r\nb\r\n", "a\nb\n"],
    ["a CR goes back to the start: later characters overwrite", "50%\r100%", "100%"],
    ["a progress line redrawn with CR shows its last state", "[    ] 0%\r[=   ] 25%\r[====] 100%\r\ndone\r\n", "[====] 100%\ndone\n"],
    ["a shorter redraw leaves the rest of the longer line, as on screen", "12345\rab", "ab345"],
    ["redraw after erase-to-end-of-line shows only the new text", "100%\r\x1b[K5%", "5%"],
    ["erase whole line (CSI 2K) then CR", "old text\x1b[2K\rnew", "new"],
    ["erase from the start (CSI 1K) blanks up to the cursor", "abcdef\x1b[3D\x1b[1K", "    ef"],
    ["no lone CR: bash's prompt after a newline (\\r\\n\\r)", "echo hi\r\n\rhi\r\n", "echo hi\nhi\n"],
    ["the README demo: ^C after a CR", "sleep 100\r\n\r^C\r\n$ ", "sleep 100\n^C\n$ "],
    ["CR CR LF (ONLCR after a program's CRLF) is one line end", "a\r\r\nb", "a\nb"],
    ["CR CR then text overwrites", "ab\r\rc", "cb"],
    ["trailing CR leaves the line as it is", "x\r", "x"],
    ["backspace moves back one; the next character overwrites", "ab\bc", "ac"],
    ["readline's erase (BS space BS)", "abc\b \b\bX", "aX "],
    ["cursor back and forward (CSI D / C)", "abcd\x1b[2DX\x1b[CY", "abXdY"],
    ["cursor to column (CSI G) is 1-based", "abcd\x1b[2GZ", "aZcd"],
    ["cursor forward past the end pads with blanks", "ab\x1b[3Cc", "ab   c"],
    ["SGR colours", "\x1b[1;31mred\x1b[0m", "red"],
    ["cursor positioning to another row is dropped", "\x1b[2J\x1b[H\x1b[10;5Htext", "text"],
    ["private modes", "\x1b[?2004h$ \x1b[?2004l", "$ "],
    ["OSC title with BEL", "\x1b]0;title\x07after", "after"],
    ["OSC with ST", "\x1b]133;A\x1b\\after", "after"],
    ["DCS", "\x1bPq#0;2;0;0;0\x1b\\x", "x"],
    ["charset designation", "\x1b(Babc", "abc"],
    ["keypad mode", "\x1b=\x1b>z", "z"],
    ["BEL dropped", "ding\x07!", "ding!"],
    ["tab kept", "a\tb", "a\tb"],
    ["unicode kept", "héllo 世界 🎉", "héllo 世界 🎉"],
    ["unterminated CSI swallowed", "a\x1b[31", "a"],
    ["a LF inside a broken escape sequence still ends the line", "a\x1b[3\nb\x1b]0;t\nc", "a\nb\nc"],
    ["lines are independent: CR only rewrites its own line", "first\r\nsecond\rSE", "first\nSEcond"],
  ];
  for (const [name, input, expected] of cases) test(name, () => expect(stripAnsi(input)).toBe(expected));

  test("no lone CR ever remains, whatever the input", () => {
    let seed = 11;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    const pieces = ["a", "\r", "\n", "\r\n", "\x1b[K", "\b", "\x1b[", "x\x1b]0;", "\x07"];
    for (let round = 0; round < 300; round++) {
      let input = "";
      for (let i = rand(30); i > 0; i--) input += pieces[rand(pieces.length)];
      expect(stripAnsi(input)).not.toContain("\r");
      // Every LF of the input is one LF of the output (line counts agree: read --lines).
      expect(stripAnsi(input).split("\n").length).toBe(input.split("\n").length);
    }
  });
});

describe("AnsiStripper: a stream read in pieces", () => {
  test("split anywhere, the pieces give the same text as the whole", () => {
    const input = "pre\x1b[1;31mred\x1b[0m\r\n\x1b]0;t\x07mid\x1b]133;D;0\x1b\\end\r\n 10%\r 55%\r\x1b[K100%\r\nlast\b!";
    const whole = stripAnsi(input);
    expect(whole).toBe("prered\nmidend\n100%\nlas!");
    for (let cut = 0; cut <= input.length; cut++) {
      for (const cut2 of [cut, Math.min(input.length, cut + 3)]) {
        const s = new AnsiStripper();
        expect(s.push(input.slice(0, cut)) + s.push(input.slice(cut, cut2)) + s.push(input.slice(cut2)) + s.end()).toBe(whole);
      }
    }
  });

  test("push gives complete lines; the line being written is held until its LF or end", () => {
    const s = new AnsiStripper();
    expect(s.push("one\r\ntw")).toBe("one\n");
    expect(s.pending()).toBe("tw");
    expect(s.push("o 50%\rtwo 99%")).toBe("");
    expect(s.pending()).toBe("two 99%");
    expect(s.push("\rtwo done\r\n")).toBe("two done\n");
    expect(s.push("$ ")).toBe("");
    expect(s.end()).toBe("$ ");
    // After end the next piece starts a fresh line: a CR there goes to its start.
    expect(s.push("\rnext")).toBe("");
    expect(s.end()).toBe("next");
  });

  test("flush gives the line out now; appending continues it, a redraw starts a new line", () => {
    const s = new AnsiStripper();
    const out = [s.push("Password: "), s.flush(), s.push("typed"), s.flush(), s.push("\r\n")];
    expect(out.join("")).toBe("Password: typed\n");
    const p = new AnsiStripper();
    const progress = [p.push("10%"), p.flush(), p.push("\r20%"), p.flush(), p.push("\r30%\r\n"), p.end()];
    expect(progress.join("")).toBe("10%\n20%\n30%\n");
    expect(progress.join("")).not.toContain("\r");
  });

  test("the fast path (plain CRLF text) and the character loop agree on random streams in random chunks", () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    const pieces = ["a", "b c", "é", "世", "\r\n", "\r", "\n", "\t", "\b", "\x1b[31m", "\x1b", "[", "m", "K", "\x1b]0;t\x07", "\x07", "\x1b\\", "\x00", "\x7f", "\r\r\n", "1;2", "\x1b[2D"];
    for (let round = 0; round < 500; round++) {
      let input = "";
      const n = rand(40);
      for (let i = 0; i < n; i++) input += pieces[rand(pieces.length)];
      const fast = new AnsiStripper();
      const slow = new AnsiStripper();
      const slowPush = (t: string) => (Reflect.get(slow, "pushEach") as (t: string) => string).call(slow, t);
      let a = "";
      let b = "";
      for (let at = 0; at < input.length; ) {
        const len = 1 + rand(8);
        const chunk = input.slice(at, at + len);
        a += fast.push(chunk);
        b += slowPush(chunk);
        at += len;
      }
      expect({ input, out: a + fast.end() }).toEqual({ input, out: b + slow.end() });
      expect({ input, out: a }).toEqual({ input, out: stripAnsi(input).slice(0, a.length) });
    }
  });
});
