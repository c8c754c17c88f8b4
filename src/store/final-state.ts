// final.json: what a session leaves behind when its program exits, so that read, read --screen,
// status and wait keep working after the holder is gone (SPEC §4). The schema is in schemas.ts.
import { finalStatePath } from "../paths.ts";
import { jsonSchemaOf } from "../protocol/schemas.macro.ts" with { type: "macro" };
import type { FinalState } from "./schemas.ts";
import { readJsonFile } from "./read-json.ts";
import { writeFileAtomic } from "./atomic.ts";

export type { FinalState };

const FINAL_STATE_SCHEMA = jsonSchemaOf("final-state");

export function writeFinalState(sessionsDir: string, id: string, state: FinalState): void {
  writeFileAtomic(finalStatePath(sessionsDir, id), JSON.stringify(state) + "\n");
}

export function readFinalState(sessionsDir: string, id: string): FinalState | null {
  return readJsonFile<FinalState>(finalStatePath(sessionsDir, id), FINAL_STATE_SCHEMA);
}
