// The launch contract's schemas (zod): what `start` hands the holder (the configuration, in an
// environment variable) and what the holder reports back once on fd 3 (the ready report). Only
// their types are imported at run time; values are checked against their JSON Schema form
// (schemas.macro.ts, launch.ts).
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

/** The holder's one line on fd 3: running (with its pids), or why the session could not start. */
export const ReadyReport = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), pid: z.number().check(z.int()), holder_pid: z.number().check(z.int()), created_at: z.string() }),
  z.object({ ok: z.literal(false), code: z.string(), message: z.string() }),
]);
export type ReadyReport = z.infer<typeof ReadyReport>;
