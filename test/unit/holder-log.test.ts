// holder.log: a line per event, and the stack of an error nobody anticipated (INTERNAL replies).
import { afterAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { describeUnexpected, makeLog } from "../../src/holder/log.ts";
import { sampleHolderConfig } from "../helpers/holder-config.ts";

const dir = mkdtempSync("/tmp/ds-log-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function config(id: string) {
  return sampleHolderConfig({ session_id: id, sessions_dir: dir, runtime_dir: dir });
}

function failDeepInside(): never {
  throw new TypeError("cannot read properties of undefined");
}

test("an unexpected error is logged with its stack, in a 0600 log", () => {
  mkdirSync(join(dir, "sess_0123456789ab"));
  const log = makeLog(config("sess_0123456789ab"));
  let caught: unknown;
  try {
    failDeepInside();
  } catch (err) {
    caught = err;
  }
  log(`INTERNAL error in a read request: ${describeUnexpected(caught)}`);
  const path = join(dir, "sess_0123456789ab", "holder.log");
  const text = readFileSync(path, "utf8");
  expect(text).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z INTERNAL error in a read request: TypeError: cannot read properties of undefined\n\s+at failDeepInside/);
  expect(statSync(path).mode & 0o777).toBe(0o600);
});

test("what is not an Error is logged as text", () => {
  expect(describeUnexpected("boom")).toBe("boom");
  expect(describeUnexpected(42)).toBe("42");
  const noStack = new Error("plain");
  noStack.stack = undefined;
  expect(describeUnexpected(noStack)).toBe("Error: plain");
});

test("a session directory that is gone loses the line, and the holder goes on", () => {
  const log = makeLog(config("sess_ffffffffffff"));
  expect(() => log("nobody will read this")).not.toThrow();
});
