import { describe, expect, test } from "bun:test";
import { UntilMatcher } from "../../src/text/until.ts";

const enc = (s: string) => new TextEncoder().encode(s);

/** Feeds the chunks in order; returns the index of the chunk that matched, or -1. */
function matchAt(re: RegExp, chunks: Array<string | Uint8Array>, windowChars?: number): number {
  const m = new UntilMatcher(re, windowChars);
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]!;
    if (m.feed(typeof c === "string" ? enc(c) : c)) return i;
  }
  return -1;
}

describe("UntilMatcher", () => {
  const cases: Array<{ name: string; re: RegExp; chunks: Array<string | Uint8Array>; at: number; window?: number }> = [
    { name: "match inside one chunk", re: /DONE42/, chunks: ["a", "xxDONE42yy"], at: 1 },
    { name: "match split across chunks", re: /DONE42/, chunks: ["xxDO", "NE", "42"], at: 2 },
    { name: "no match", re: /DONE42/, chunks: ["DONE4", "3"], at: -1 },
    { name: "escape sequences are stripped before matching", re: /DONE42/, chunks: ["DO\x1b[31mNE", "4\x1b[0m2"], at: 1 },
    { name: "escape sequence split across chunks", re: /ab/, chunks: ["a\x1b[3", "1mb"], at: 1 },
    { name: "UTF-8 split across chunks", re: /é!/, chunks: [new Uint8Array([0xc3]), new Uint8Array([0xa9, 0x21])], at: 1 },
    { name: "empty first chunk matches an empty-matching pattern", re: /^/, chunks: [""], at: 0 },
    { name: "anchored end sees the latest text", re: /\$ $/, chunks: ["$ ", "ls\r\n", "a b\r\n$ "], at: 0 },
    { name: "pattern within the window across many chunks", re: /start[^]*end/, chunks: ["start", "x".repeat(50), "end"], at: 2, window: 100 },
    { name: "pattern longer than the window is not found", re: /start[^]*end/, chunks: ["start", "x".repeat(200), "end"], at: -1, window: 100 },
    { name: "a global regex is matched from the start each time", re: /b/g, chunks: ["b", "b"], at: 0 },
  ];
  for (const c of cases) test(c.name, () => expect(matchAt(c.re, c.chunks, c.window)).toBe(c.at));

  test("the kept text stays bounded however much output goes by", () => {
    const m = new UntilMatcher(/never/, 1000);
    for (let i = 0; i < 2000; i++) m.feed(enc("y".repeat(997) + "\r\n"));
    expect((Reflect.get(m, "tail") as string).length).toBe(1000);
    expect(m.feed(enc("nev"))).toBe(false);
    expect(m.feed(enc("er"))).toBe(true);
  });
});
