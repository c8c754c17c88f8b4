// The zod schemas of the files a session keeps (metadata.json, final.json). Only types are
// imported from here at run time: the values are checked against the JSON Schema form of these
// schemas (src/protocol/schemas.macro.ts, src/protocol/json-schema.ts), so zod never loads in the
// CLI or the holder.
import * as z from "zod/mini";

/** metadata.json: what a session is (written once by its holder when it is ready). */
export const Metadata = z.object({
  session_id: z.string(),
  name: z.nullable(z.string()),
  command: z.array(z.string()),
  cwd: z.string(),
  cols: z.number(),
  rows: z.number(),
  buffer_size: z.number(),
  pid: z.number(),
  holder_pid: z.number(),
  created_at: z.string(),
  protocol: z.number(),
  shell_integration: z.optional(z.boolean()),
  record: z.optional(z.nullable(z.string())),
});
export type Metadata = z.infer<typeof Metadata>;

/** final.json: what a session leaves behind when its program exits. */
export const FinalState = z.object({
  exit_code: z.nullable(z.number()),
  signal: z.nullable(z.string()),
  exited_at: z.string(),
  last_accessed_at: z.string(),
  /** Absolute offset of the first kept byte, and the kept output (base64). */
  output_start: z.number(),
  output: z.string(),
  /** Absolute offset just after the last byte the program wrote. */
  output_end: z.number(),
  /** Where the default reader stood. */
  cursor: z.number(),
  cols: z.number(),
  rows: z.number(),
  screen: z.object({
    /** History lines above the visible rows (oldest first), then the visible rows. */
    history: z.array(z.string()),
    lines: z.array(z.string()),
    cursor: z.object({ row: z.number(), col: z.number() }),
    alternate_screen: z.boolean(),
  }),
});
export type FinalState = z.infer<typeof FinalState>;
