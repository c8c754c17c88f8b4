// The holder's start-up configuration, handed over by `start` in an environment variable (same
// user only: /proc/<pid>/environ is private) rather than argv, which every user can read. The
// schema is in config-schema.ts.
import { ENV_HOLDER_CONFIG } from "../constants.ts";
import { parseWithSchema } from "../protocol/json-schema.ts";
import { jsonSchemaOf } from "../protocol/schemas.macro.ts" with { type: "macro" };
import type { HolderConfig } from "./config-schema.ts";

export type { HolderConfig };

const HOLDER_CONFIG_SCHEMA = jsonSchemaOf("holder-config");

export function readHolderConfig(env: NodeJS.ProcessEnv = process.env): HolderConfig {
  const raw = env[ENV_HOLDER_CONFIG];
  if (!raw) throw new Error(`${ENV_HOLDER_CONFIG} is not set: the holder is started by 'delta-sessions start'`);
  const config = parseWithSchema<HolderConfig>(HOLDER_CONFIG_SCHEMA, JSON.parse(raw));
  if (!config) throw new Error(`${ENV_HOLDER_CONFIG} does not hold a valid configuration`);
  return config;
}
