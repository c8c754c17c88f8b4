import { expect, test } from "bun:test";
import { restoreCallerEnv, withHolderRuntimeEnv } from "../../src/holder/runtime-env.ts";

test("the holder's runtime settings are added, and the caller's values restored afterwards", () => {
  const callers: Array<Record<string, string>> = [{ PATH: "/bin" }, { PATH: "/bin", BUN_GC_TIMER_DISABLE: "7" }];
  for (const caller of callers) {
    const { env, restore } = withHolderRuntimeEnv(caller);
    expect(env.BUN_GC_TIMER_DISABLE).toBe("1");
    expect(env.PATH).toBe("/bin");
    const holderEnv: NodeJS.ProcessEnv = { ...env };
    restoreCallerEnv(JSON.parse(JSON.stringify(restore)), holderEnv);
    expect(holderEnv).toEqual(caller);
  }
});

test("nothing to restore leaves the environment alone", () => {
  const env: NodeJS.ProcessEnv = { A: "1" };
  restoreCallerEnv(undefined, env);
  expect(env).toEqual({ A: "1" });
});
