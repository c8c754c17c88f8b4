import { describe, expect, test } from "bun:test";
import { AnsiStripper, stripAnsi } from "../../src/text/ansi.ts";

describe("stripAnsi", () => {
  const cases: Array<[string, string, string]> = [
    ["plain text", "hello world", "hello world"],
    ["CRLF becomes LF", "a\r\nb\r\n", "a\nb\n"],
    ["lone CR kept", "50%\r100%", "50%\r100%"],
    ["CR CR LF (ONLCR after a program's CRLF) is one line end", "a\r\r\nb", "a\nb"],
    ["CR CR then text keeps one CR", "a\r\rb", "a\rb"],
    ["trailing CR kept", "x\r", "x\r"],
    ["SGR colours", "\x1b[1;31mred\x1b[0m", "red"],
    ["cursor movement", "\x1b[2J\x1b[H\x1b[10;5Htext", "text"],
    ["private modes", "\x1b[?2004h$ \x1b[?2004l", "$ "],
    ["OSC title with BEL", "\x1b]0;title\x07after", "after"],
    ["OSC with ST", "\x1b]133;A\x1b\\after", "after"],
    ["DCS", "\x1bPq#0;2;0;0;0\x1b\\x", "x"],
    ["charset designation", "\x1b(Babc", "abc"],
    ["keypad mode", "\x1b=\x1b>z", "z"],
    ["BEL dropped", "ding\x07!", "ding!"],
    ["tabs and backspace kept", "a\tb\bc", "a\tb\bc"],
    ["unicode kept", "héllo 世界 🎉", "héllo 世界 🎉"],
    ["unterminated CSI swallowed", "a\x1b[31", "a"],
  ];
  for (const [name, input, expected] of cases) test(name, () => expect(stripAnsi(input)).toBe(expected));

  test("sequences split across chunks at every position give the same text", () => {
    const input = "pre\x1b[1;31mred\x1b[0m\r\n\x1b]0;t\x07mid\x1b]133;D;0\x1b\\end\r\n";
    const whole = stripAnsi(input);
    for (let cut = 0; cut <= input.length; cut++) {
      const s = new AnsiStripper();
      expect(s.push(input.slice(0, cut)) + s.push(input.slice(cut)) + s.end()).toBe(whole);
    }
  });
});

describe("AnsiStripper fast path", () => {
  test("random streams in random chunks strip exactly as the character-by-character path does", () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    const pieces = ["a", "b c", "é", "世", "\r\n", "\r", "\n", "\t", "\b", "\x1b[31m", "\x1b", "[", "m", "\x1b]0;t\x07", "\x07", "\x1b\\", "\x00", "\x7f", "\r\r\n", "1;2"];
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
    }
  });

  test("plain CRLF text takes the fast path and loses nothing", () => {
    const text = "line one\r\nline\ttwo\r\n\bend";
    expect(stripAnsi(text)).toBe("line one\nline\ttwo\n\bend");
  });
});
