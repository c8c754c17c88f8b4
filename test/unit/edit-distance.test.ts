import { expect, test } from "bun:test";
import { editDistance } from "../../src/text/edit-distance.ts";

test.each([
  ["", "", 0],
  ["abc", "", 3],
  ["", "abc", 3],
  ["enter", "enter", 0],
  ["entr", "enter", 1],
  ["enterr", "enter", 1],
  ["ebter", "enter", 1],
  ["etner", "enter", 1],
  ["kitten", "sitting", 3],
  ["ca", "abc", 3],
  ["--tiemout", "--timeout", 1],
])("%p -> %p: %p", (a, b, expected) => {
  expect(editDistance(a, b)).toBe(expected);
});

test("a cheaper substitution is used where the caller says so", () => {
  const neighbours = (a: string, b: string) => (a === b ? 0 : a + b === "bn" || a + b === "nb" ? 0.5 : 1);
  expect(editDistance("ebter", "enter", neighbours)).toBe(0.5);
  expect(editDistance("eqter", "enter", neighbours)).toBe(1);
});
