import { describe, expect, test } from "bun:test";
import { needsCleanEnv } from "../../src/clean-env.ts";

describe("needsCleanEnv: the CLI runs itself again only when Bun variables would change its behaviour", () => {
  const cases: Array<[string, Record<string, string | undefined>, boolean]> = [
    ["an ordinary environment", { PATH: "/usr/bin", HOME: "/home/u", SHELL: "/bin/bash" }, false],
    ["Bun's install location is harmless", { BUN_INSTALL: "/home/u/.bun", PATH: "/usr/bin" }, false],
    ["unset values are ignored", { BUN_OPTIONS: undefined, PATH: "/usr/bin" }, false],
    ["no-orphans kills descendants at exit", { BUN_FEATURE_FLAG_NO_ORPHANS: "1" }, true],
    ["any feature flag", { BUN_FEATURE_FLAG_SOMETHING: "0" }, true],
    ["BUN_OPTIONS adds runtime flags", { BUN_OPTIONS: "--smol" }, true],
    ["BUN_BE_BUN turns the binary into bun", { BUN_BE_BUN: "1" }, true],
    ["the holder's own configuration never belongs to a CLI", { DELTA_SESSIONS_HOLDER_CONFIG: "{}" }, true],
  ];
  for (const [label, env, expected] of cases) {
    test(label, () => expect(needsCleanEnv(env)).toBe(expected));
  }
});
