// Validating protocol lines on both sides against the schemas of messages.ts, in their JSON
// Schema form (see json-schema.ts for why zod itself does not run here).
import { parseWithSchema } from "./json-schema.ts";
import type { Reply, Request } from "./messages.ts";
import { jsonSchemaOf } from "./schemas.macro.ts" with { type: "macro" };

const REQUEST_SCHEMA = jsonSchemaOf("request");
const REPLY_SCHEMA = jsonSchemaOf("reply");

/** A request as the holder's handlers expect it, or null when it is malformed or unknown. */
export function parseRequest(value: unknown): Request | null {
  return parseWithSchema<Request>(REQUEST_SCHEMA, value);
}

/** A reply as the client expects it, or null when it is malformed or unknown. */
export function parseReply(value: unknown): Reply | null {
  return parseWithSchema<Reply>(REPLY_SCHEMA, value);
}
