// final.json: what a session leaves behind when its program exits, so that read, read --screen,
// status and wait keep working after the holder is gone (SPEC §4). The schema is in schemas.ts.
import { readFileSync } from "node:fs";
import { finalStatePath } from "../paths.ts";
import { parseWithSchema } from "../protocol/json-schema.ts";
import { jsonSchemaOf } from "../protocol/schemas.macro.ts" with { type: "macro" };
import type { FinalState } from "./schemas.ts";
import { writeFileAtomic } from "./atomic.ts";

export type { FinalState };

const FINAL_STATE_SCHEMA = jsonSchemaOf("final-state");

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
    return parseWithSchema<FinalState>(FINAL_STATE_SCHEMA, JSON.parse(text));
  } catch {
    return null;
  }
}
