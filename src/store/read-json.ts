// Reading one of the session's JSON files (metadata.json, final.json) as its schema says it is.
import { readFileSync } from "node:fs";
import { parseJsonWithSchema, type JsonSchema } from "../protocol/json-schema.ts";

/** The file's value, or null when it is missing, unreadable, not JSON, or not of the schema. */
export function readJsonFile<T>(path: string, schema: JsonSchema): T | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return null;
  }
  return parseJsonWithSchema<T>(schema, text);
}
