import { describe, expect, test } from "bun:test";
import { findConsoleBlocks, findFileBlocks, matchesExpected, normaliseOutput, outputLines } from "../helpers/doc-examples.ts";

describe("console blocks", () => {
  test("commands and their output, other fences ignored", () => {
    const md = ["text", "```console", "$ a 1", "out1", "out2", "$ b", "```", "```sh", "$ not run", "```", "```console", "$ c", "```"].join("\n");
    expect(findConsoleBlocks("x.md", md)).toEqual([
      { file: "x.md", line: 2, commands: [{ command: "a 1", expected: ["out1", "out2"] }, { command: "b", expected: [] }] },
      { file: "x.md", line: 11, commands: [{ command: "c", expected: [] }] },
    ]);
  });
  test("a block that does not start with a command is an error", () => {
    expect(() => findConsoleBlocks("x.md", "```console\noutput\n```")).toThrow(/x.md:2/);
  });
});

describe("file blocks", () => {
  test("a fence naming a file after its language is one; others are not", () => {
    const md = ["```python install.py", "print(1)", "```", "```python", "x", "```", "```sh ../x", "y", "```", "```c crash.c", "int main;", "```"].join("\n");
    expect(findFileBlocks(md)).toEqual([
      { name: "install.py", text: "print(1)\n" },
      { name: "crash.c", text: "int main;\n" },
    ]);
  });
});

describe("matching", () => {
  const cases: Array<[string[], string[], boolean]> = [
    [["a", "b"], ["a", "b"], true],
    [["a", "b"], ["a", "c"], false],
    [["a"], ["a", "b"], false],
    [["a", "…"], ["a", "b", "c"], true],
    [["…", "c"], ["a", "b", "c"], true],
    [["…"], [], true],
    [["x…z"], ["x 1 2 z"], true],
    [["x…z"], ["x 1 2 y"], false],
    [['{"a":1,…}'], ['{"a":1,"b":[2]}'], true],
    [['{"a":1,…}'], ['{"a":2,"b":[2]}'], false],
    [["a.b"], ["axb"], false],
    [["trailing  "], ["trailing"], true],
  ];
  for (const [expected, actual, ok] of cases) {
    test(`${JSON.stringify(expected)} vs ${JSON.stringify(actual)} → ${ok}`, () => expect(matchesExpected(expected, actual)).toBe(ok));
  }
});

describe("normalising", () => {
  const cases: Array<[string, string]> = [
    ['{"session_id":"sess_b0931f31b15a","pid":17871}', '{"session_id":"sess_ID","pid":N}'],
    ['"created_at":"2026-11-21T13:06:18.802Z"', '"created_at":"TIME"'],
    ['"cwd":"/tmp/ds-test-abc/demo"', '"cwd":"DIR"'],
    ["bash-5.2# ls", "bash-V$ ls"],
    ["bash-5.1$ ls", "bash-V$ ls"],
    ['"offset":18,"next_offset":97', '"offset":N,"next_offset":N'],
    ['"bytes":20', '"bytes":20'],
  ];
  for (const [input, out] of cases) test(input, () => expect(normaliseOutput(input)).toBe(out));
  test("directories become what the documents show", () => {
    expect(normaliseOutput("/tmp/ds-x/demo/f", { "/tmp/ds-x/demo": "/tmp/demo" })).toBe("/tmp/demo/f");
  });
  test("output lines", () => {
    expect(outputLines("")).toEqual([]);
    expect(outputLines("a\n")).toEqual(["a"]);
    expect(outputLines("a\n\n")).toEqual(["a", ""]);
  });
});
