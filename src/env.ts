// Environment hygiene: what the holder and the child must not inherit (SPEC §1).
import { ENV_HOLDER_CONFIG, SCRUBBED_ENV_NAMES, SCRUBBED_ENV_PREFIXES } from "./constants.ts";

/** A copy of `env` without Bun's behaviour-changing variables and delta-sessions' internal ones. */
export function scrubEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    if (k === ENV_HOLDER_CONFIG || SCRUBBED_ENV_NAMES.includes(k)) continue;
    if (SCRUBBED_ENV_PREFIXES.some((p) => k.startsWith(p))) continue;
    out[k] = v;
  }
  return out;
}

/** True when `env` holds any of the Bun variables the holder must not inherit. */
export function hasScrubbedBunVariables(env: NodeJS.ProcessEnv): boolean {
  return Object.keys(env).some((k) => SCRUBBED_ENV_NAMES.includes(k) || SCRUBBED_ENV_PREFIXES.some((p) => k.startsWith(p)));
}
