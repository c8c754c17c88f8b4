// The launch contract between `start` (client/start.ts) and the holder it re-executes
// (holder/main.ts, holder/launch.ts):
// - the configuration goes in the environment variable ENV_HOLDER_CONFIG (same user only:
//   /proc/<pid>/environ is private), not argv, which every user can read;
// - the holder's Bun runtime gets HOLDER_RUNTIME_ENV, and the caller's own values of those
//   variables ride along in the configuration so the holder can put them back before anything
//   else: the program in the session gets exactly the caller's environment;
// - the holder reports once, one JSON line on fd READY_FD (a pipe `start` reads): running, or why not.
import { ENV_HOLDER_CONFIG, HOLDER_RUNTIME_ENV } from "../constants.ts";
import { parseJsonWithSchema } from "./json-schema.ts";
import type { HolderConfig, ReadyReport } from "./launch-schema.ts";
import { jsonSchemaOf } from "./schemas.macro.ts" with { type: "macro" };

export type { HolderConfig, ReadyReport };

/** The descriptor of the readiness pipe in the holder (and in the launcher that starts it). */
export const READY_FD = 3;

const HOLDER_CONFIG_SCHEMA = jsonSchemaOf("holder-config");
const READY_REPORT_SCHEMA = jsonSchemaOf("ready-report");

/** What the caller had for each runtime variable (null: unset), to restore in the holder. */
export type RestoreEnv = Record<string, string | null>;

/**
 * The holder's environment: the caller's (already scrubbed), the runtime settings, and the
 * configuration (which carries what to restore).
 */
export function holderEnvironment(callerEnv: Record<string, string>, config: HolderConfig): Record<string, string> {
  const restore: RestoreEnv = {};
  for (const name of Object.keys(HOLDER_RUNTIME_ENV)) restore[name] = callerEnv[name] ?? null;
  return { ...callerEnv, ...HOLDER_RUNTIME_ENV, [ENV_HOLDER_CONFIG]: JSON.stringify({ ...config, restore_env: restore }) };
}

/** In the holder: its configuration, checked against the schema. */
export function readHolderConfig(env: NodeJS.ProcessEnv = process.env): HolderConfig {
  const raw = env[ENV_HOLDER_CONFIG];
  if (!raw) throw new Error(`${ENV_HOLDER_CONFIG} is not set: the holder is started by 'delta-sessions start'`);
  const config = parseJsonWithSchema<HolderConfig>(HOLDER_CONFIG_SCHEMA, raw);
  if (!config) throw new Error(`${ENV_HOLDER_CONFIG} does not hold a valid configuration`);
  return config;
}

/** In the holder: gives process.env back the caller's values of the runtime variables. */
export function restoreCallerEnv(restore: RestoreEnv | undefined, env: NodeJS.ProcessEnv = process.env): void {
  for (const [name, value] of Object.entries(restore ?? {})) {
    if (value === null) delete env[name];
    else env[name] = value;
  }
}

/** The ready report's line. */
export function encodeReadyReport(report: ReadyReport): string {
  return JSON.stringify(report) + "\n";
}

/** The ready report in the first line `start` read from the pipe, or null when it is not one. */
export function parseReadyReport(line: string): ReadyReport | null {
  return parseJsonWithSchema<ReadyReport>(READY_REPORT_SCHEMA, line);
}
