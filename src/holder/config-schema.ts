// The holder's start-up configuration schema (zod). Only its type is imported at run time; the
// value is checked against its JSON Schema form (src/protocol/schemas.macro.ts).
import * as z from "zod/mini";

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
  /** The caller's values (null: unset) of the variables `start` set for the holder's runtime. */
  restore_env: z.optional(z.record(z.string(), z.nullable(z.string()))),
});
export type HolderConfig = z.infer<typeof HolderConfig>;
