// metadata.json: what a session is (written once by its holder when it is ready). Nothing secret
// goes here: the environment is never stored. The schema is in schemas.ts.
import { metadataPath } from "../paths.ts";
import { jsonSchemaOf } from "../protocol/schemas.macro.ts" with { type: "macro" };
import type { Metadata } from "./schemas.ts";
import { readJsonFile } from "./read-json.ts";
import { writeFileAtomic, type AtomicWriteOptions } from "./atomic.ts";

export type { Metadata };

const METADATA_SCHEMA = jsonSchemaOf("metadata");

export function writeMetadata(sessionsDir: string, meta: Metadata, options: AtomicWriteOptions = {}): void {
  writeFileAtomic(metadataPath(sessionsDir, meta.session_id), JSON.stringify(meta, null, 2) + "\n", options);
}

/** The session's metadata, or null when it has none (never started, or removed meanwhile). */
export function readMetadata(sessionsDir: string, id: string): Metadata | null {
  return readJsonFile<Metadata>(metadataPath(sessionsDir, id), METADATA_SCHEMA);
}
