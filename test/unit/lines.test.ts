import { expect, test } from "bun:test";
import { tailLines } from "../../src/text/lines.ts";

const cases: Array<[string, number, string]> = [
  ["a\nb\nc\n", 2, "b\nc\n"],
  ["a\nb\nc", 2, "b\nc"],
  ["a\nb\nc\n", 1, "c\n"],
  ["a\nb\nc\n", 5, "a\nb\nc\n"],
  ["a\nb\nc\n", 0, ""],
  ["", 3, ""],
  ["\n\n\n", 2, "\n\n"],
  ["only", 1, "only"],
];
for (const [input, n, expected] of cases) {
  test(`tailLines(${JSON.stringify(input)}, ${n})`, () => {
    expect(new TextDecoder().decode(tailLines(new TextEncoder().encode(input), n))).toBe(expected);
  });
}

test("invalid UTF-8 passes through", () => {
  const bytes = new Uint8Array([0xff, 0x0a, 0xfe, 0x41, 0x0a]);
  expect(Array.from(tailLines(bytes, 1))).toEqual([0xfe, 0x41, 0x0a]);
});
