import { expect, test } from "bun:test";
import { AsciicastEncoder } from "../../src/holder/recording/asciicast.ts";

const enc = new TextEncoder();

function events(lines: string): Array<[number, string, string]> {
  return lines
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l));
}

test("header: version 2, size, whole-second timestamp, command line, env", () => {
  const e = new AsciicastEncoder(0);
  const h = JSON.parse(e.header({ cols: 80, rows: 24, timestamp: 1700000000.75, command: ["sh", "-c", "echo hi"], env: { TERM: "xterm-256color", SHELL: "/bin/sh" } }));
  expect(h).toEqual({ version: 2, width: 80, height: 24, timestamp: 1700000000, command: "sh -c 'echo hi'", env: { TERM: "xterm-256color", SHELL: "/bin/sh" } });
});

test("events: seconds since the start to the microsecond, codes o, i, r", () => {
  const e = new AsciicastEncoder(1000);
  expect(e.output(enc.encode("hi\r\n"), 1250.1234567)).toBe('[0.250123,"o","hi\\r\\n"]\n');
  expect(e.input(enc.encode("ls\r"), 2000)).toBe('[1,"i","ls\\r"]\n');
  expect(e.resize(100, 40, 3000.5)).toBe('[2.0005,"r","100x40"]\n');
  // A clock reading before the start never gives a negative time.
  expect(e.output(enc.encode("x"), 999)).toBe('[0,"o","x"]\n');
});

// Every way of cutting this text into pieces gives output events that concatenate to it.
const samples = ["plain ascii", "café ☕ 你好 𝄞 e\u0301", "\x1b[31mred\x1b[0m\r\n", "\u0000\u0007 controls \u007f"];
for (const sample of samples) {
  test(`a character split across reads is never broken: ${JSON.stringify(sample)}`, () => {
    const bytes = enc.encode(sample);
    for (let cut1 = 0; cut1 <= bytes.length; cut1++) {
      for (const cut2 of [cut1, Math.min(bytes.length, cut1 + 1), Math.min(bytes.length, cut1 + 2), bytes.length]) {
        const e = new AsciicastEncoder(0);
        const out = e.output(bytes.subarray(0, cut1), 1) + e.output(bytes.subarray(cut1, cut2), 2) + e.output(bytes.subarray(cut2), 3) + e.finish(4);
        const evs = events(out);
        expect(evs.map((x) => x[2]).join("")).toBe(sample);
        expect(evs.every((x) => x[1] === "o" && !x[2].includes("\ufffd"))).toBe(true);
      }
    }
  });
}

const invalid: Array<[number[], string]> = [
  [[0x41, 0xff, 0x42], "A\ufffdB"],
  [[0xc3], "\ufffd"], // unfinished at the end: emitted by finish()
  [[0xed, 0xa0, 0x80], "\ufffd\ufffd\ufffd"], // a UTF-16 surrogate encoded as UTF-8
];
for (const [bytes, text] of invalid) {
  test(`bytes that are not UTF-8 become U+FFFD: ${JSON.stringify(bytes)}`, () => {
    const e = new AsciicastEncoder(0);
    const out = e.output(Uint8Array.from(bytes), 1) + e.finish(2);
    expect(
      events(out)
        .map((x) => x[2])
        .join(""),
    ).toBe(text);
  });
}

test("input and output are decoded separately", () => {
  const e = new AsciicastEncoder(0);
  const a = enc.encode("é");
  const out = e.output(a.subarray(0, 1), 1) + e.input(enc.encode("x"), 2) + e.output(a.subarray(1), 3);
  expect(events(out).map((x) => [x[1], x[2]])).toEqual([
    ["i", "x"],
    ["o", "é"],
  ]);
});
