// final.json: what a session leaves behind when its program exits, so that read, read --screen,
// status and wait keep working after the holder is gone (SPEC §4).
import { readFileSync } from "node:fs";
import * as z from "zod/mini";
import { finalStatePath } from "../paths.ts";
import { writeFileAtomic } from "./atomic.ts";

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

export function writeFinalState(sessionsDir: string, id: string, state: FinalState): void {
  writeFileAtomic(finalStatePath(sessionsDir, id), JSON.stringify(state) + "\n");
}

export function readFinalState(sessionsDir: string, id: string): FinalState | null {
  let text: string;
  try {
    text = readFileSync(finalStatePath(sessionsDir, id), "utf8");
  } catch {
    return null;
  }
  try {
    return FinalState.parse(JSON.parse(text));
  } catch {
    return null;
  }
}
