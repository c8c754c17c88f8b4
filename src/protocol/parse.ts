// Validating protocol lines on both sides against the schemas of messages.ts, in their JSON
// Schema form (see json-schema.ts for why zod itself does not run here).
import { parseWithSchema } from "./json-schema.ts";
import type { AttachClientMessage, Reply, Request } from "./messages.ts";
import { jsonSchemaOf } from "./schemas.macro.ts" with { type: "macro" };

const REQUEST_SCHEMA = jsonSchemaOf("request");
const REPLY_SCHEMA = jsonSchemaOf("reply");
const ATTACH_CLIENT_SCHEMA = jsonSchemaOf("attach-client");

/** A request as the holder's handlers expect it, or null when it is malformed or unknown. */
export function parseRequest(value: unknown): Request | null {
  return parseWithSchema<Request>(REQUEST_SCHEMA, value);
}

/** A reply as the client expects it, or null when it is malformed or unknown. */
export function parseReply(value: unknown): Reply | null {
  return parseWithSchema<Reply>(REPLY_SCHEMA, value);
}

/** A message of an attached terminal (input, resize, detach), or null when it is none of them. */
export function parseAttachClientMessage(value: unknown): AttachClientMessage | null {
  return parseWithSchema<AttachClientMessage>(ATTACH_CLIENT_SCHEMA, value);
}
