import { describe, expect, test } from "bun:test";
import { capHead, capTail } from "../../src/text/cap.ts";
import { capLines, clampWait } from "../../src/mcp/limits.ts";

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe("capHead / capTail keep whole UTF-8 characters", () => {
  const cases: Array<[string, number, string, string]> = [
    // input, max, head kept, tail kept
    ["hello", 10, "hello", "hello"],
    ["hello", 5, "hello", "hello"],
    ["hello", 3, "hel", "llo"],
    ["hello", 0, "", ""],
    ["aé", 2, "a", "é"], // é is 2 bytes: the head cannot take half of it
    ["éa", 2, "é", "a"],
    ["a☺b", 3, "a", "b"], // ☺ is 3 bytes
    ["a☺b", 4, "a☺", "☺b"],
    ["😀x", 3, "", "x"], // 4-byte character
  ];
  for (const [input, max, head, tail] of cases) {
    test(`${JSON.stringify(input)} in ${max} bytes`, () => {
      const h = capHead(bytes(input), max);
      expect(text(h.bytes)).toBe(head);
      expect(h.omitted).toBe(bytes(input).length - bytes(head).length);
      const t = capTail(bytes(input), max);
      expect(text(t.bytes)).toBe(tail);
      expect(t.omitted).toBe(bytes(input).length - bytes(tail).length);
    });
  }
});

describe("capLines leaves out the oldest lines", () => {
  const cases: Array<[string[], number, string[], number]> = [
    [["a", "b", "c"], 100, ["a", "b", "c"], 0],
    [["aaa", "bbb", "ccc"], 8, ["bbb", "ccc"], 1], // each line costs its bytes + a newline
    [["aaa", "bbb", "ccc"], 3, [], 3],
    [["é"], 3, ["é"], 0],
  ];
  for (const [lines, max, kept, omitted] of cases) {
    test(`${lines.join("|")} in ${max} bytes`, () => expect(capLines(lines, max)).toEqual({ lines: kept, omitted }));
  }
});

test("clampWait: the request, else the fallback, else the maximum; never above the maximum", () => {
  const limits = { maxWaitMs: 1000, maxOutputBytes: 1 };
  const cases: Array<[number | undefined, number | undefined, number]> = [
    [undefined, undefined, 1000],
    [500, undefined, 500],
    [5000, undefined, 1000],
    [undefined, 300, 300],
    [undefined, 30000, 1000],
    [0, 300, 0],
  ];
  for (const [requested, fallback, expected] of cases) expect(clampWait(limits, requested, fallback)).toBe(expected);
});
