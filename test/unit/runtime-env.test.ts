import { expect, test } from "bun:test";
import { ENV_HOLDER_CONFIG } from "../../src/constants.ts";
import { holderEnvironment, readHolderConfig, restoreCallerEnv } from "../../src/protocol/launch.ts";
import { sampleHolderConfig } from "../helpers/holder-config.ts";

const CONFIG = sampleHolderConfig();

test("the holder's runtime settings are added, and the caller's values restored afterwards", () => {
  const callers: Array<Record<string, string>> = [{ PATH: "/bin" }, { PATH: "/bin", BUN_GC_TIMER_DISABLE: "7" }];
  for (const caller of callers) {
    const env = holderEnvironment(caller, CONFIG);
    expect(env.BUN_GC_TIMER_DISABLE).toBe("1");
    expect(env.PATH).toBe("/bin");
    const holderEnv: NodeJS.ProcessEnv = { ...env };
    const config = readHolderConfig(holderEnv);
    expect({ ...config, restore_env: undefined }).toEqual({ ...CONFIG, restore_env: undefined });
    restoreCallerEnv(config.restore_env, holderEnv);
    delete holderEnv[ENV_HOLDER_CONFIG];
    expect(holderEnv).toEqual(caller);
  }
});

test("nothing to restore leaves the environment alone", () => {
  const env: NodeJS.ProcessEnv = { A: "1" };
  restoreCallerEnv(undefined, env);
  expect(env).toEqual({ A: "1" });
});

test("a missing or malformed configuration is refused", () => {
  expect(() => readHolderConfig({})).toThrow(ENV_HOLDER_CONFIG);
  expect(() => readHolderConfig({ [ENV_HOLDER_CONFIG]: "{" })).toThrow("valid configuration");
  expect(() => readHolderConfig({ [ENV_HOLDER_CONFIG]: JSON.stringify({ ...CONFIG, command: [] }) })).toThrow("valid configuration");
});
