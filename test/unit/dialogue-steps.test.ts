import { describe, expect, test } from "bun:test";
import { stepsFromSpecs } from "../../src/client/dialogue.ts";
import { DeltaError } from "../../src/errors.ts";

const bytes = (s: string) => Array.from(new TextEncoder().encode(s));
const shown = (specs: unknown, defaults = {}) =>
  stepsFromSpecs(specs, defaults).map((s) => ({ ...s, input: "text" in s.input ? { text: bytes(new TextDecoder().decode(s.input.text)) } : s.input }));

describe("steps from {text | keys, enter, until, timeout_ms}", () => {
  test("text is sent as given; enter (the step's, else the call's) appends CR", () => {
    expect(shown([{ text: "a\\b" }, { text: "b", enter: true }, { text: "c" }], { enter: false })).toEqual([
      { input: { text: bytes("a\\b") } },
      { input: { text: bytes("b\r") } },
      { input: { text: bytes("c") } },
    ]);
    expect(shown([{ text: "x" }, { text: "y", enter: false }], { enter: true })).toEqual([{ input: { text: bytes("x\r") } }, { input: { text: bytes("y") } }]);
  });
  test("keys, until (the step's, else the call's) and timeout_ms", () => {
    const until = { source: "done", flags: "m" };
    expect(shown([{ keys: ["escape", "ctrl+c"], timeout_ms: 500 }, { text: "q", until: "^bye" }], { until })).toEqual([
      { input: { keys: ["escape", "ctrl+c"] }, until, timeoutMs: 500 },
      { input: { text: bytes("q") }, until: { source: "^bye", flags: "m" } },
    ]);
  });
  const bad: Array<[string, unknown]> = [
    ["not an array", { text: "a" }],
    ["empty", []],
    ["a step that is not an object", ["a"]],
    ["neither text nor keys", [{ enter: true }]],
    ["both text and keys", [{ text: "a", keys: ["enter"] }]],
    ["an unknown field", [{ text: "a", colour: 1 }]],
    ["an unknown key", [{ keys: ["nosuchkey"] }]],
    ["empty keys", [{ keys: [] }]],
    ["enter on keys", [{ keys: ["a"], enter: true }]],
    ["a bad regex", [{ text: "a", until: "(" }]],
    ["a negative timeout", [{ text: "a", timeout_ms: -1 }]],
    ["a fractional timeout", [{ text: "a", timeout_ms: 1.5 }]],
    ["text that is not a string", [{ text: 3 }]],
  ];
  for (const [what, specs] of bad) {
    test(`refused: ${what}`, () => {
      let err: unknown;
      try {
        stepsFromSpecs(specs);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DeltaError);
      expect(["INVALID_ARGUMENT", "INVALID_KEY"]).toContain((err as DeltaError).code);
    });
  }
});
