// metadata.json: what a session is (written once by its holder when it is ready). Nothing secret
// goes here: the environment is never stored.
import { readFileSync } from "node:fs";
import * as z from "zod/mini";
import { metadataPath } from "../paths.ts";
import { writeFileAtomic } from "./atomic.ts";

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

export function writeMetadata(sessionsDir: string, meta: Metadata): void {
  writeFileAtomic(metadataPath(sessionsDir, meta.session_id), JSON.stringify(meta, null, 2) + "\n");
}

/** The session's metadata, or null when it has none (never started, or removed meanwhile). */
export function readMetadata(sessionsDir: string, id: string): Metadata | null {
  let text: string;
  try {
    text = readFileSync(metadataPath(sessionsDir, id), "utf8");
  } catch {
    return null;
  }
  try {
    return Metadata.parse(JSON.parse(text));
  } catch {
    return null;
  }
}
