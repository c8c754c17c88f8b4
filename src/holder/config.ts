// The holder's start-up configuration, handed over by `start` in an environment variable (same
// user only: /proc/<pid>/environ is private) rather than argv, which every user can read.
import * as z from "zod/mini";
import { ENV_HOLDER_CONFIG } from "../constants.ts";

export const HolderConfig = z.object({
  session_id: z.string(),
  name: z.nullable(z.string()),
  sessions_dir: z.string(),
  runtime_dir: z.string(),
  command: z.array(z.string()).check(z.minLength(1)),
  cwd: z.string(),
  /** `--env K=V` additions (applied on top of the inherited environment). */
  env: z.record(z.string(), z.string()),
  cols: z.number(),
  rows: z.number(),
  buffer_size: z.number(),
  record: z.nullable(z.string()),
  shell_integration: z.boolean(),
});
export type HolderConfig = z.infer<typeof HolderConfig>;

export function readHolderConfig(env: NodeJS.ProcessEnv = process.env): HolderConfig {
  const raw = env[ENV_HOLDER_CONFIG];
  if (!raw) throw new Error(`${ENV_HOLDER_CONFIG} is not set: the holder is started by 'delta-sessions start'`);
  return HolderConfig.parse(JSON.parse(raw));
}
