// The one way an incoming protocol line becomes a message, on both sides: JSON, then the schema of
// what may arrive there (messages.ts, in its JSON Schema form; see json-schema.ts for why zod
// itself does not run here). Requests, replies and attach messages all come through here.
import { parseWithSchema, type JsonSchema } from "./json-schema.ts";
import type { AttachClientMessage, Reply, Request } from "./messages.ts";
import { jsonSchemaOf } from "./schemas.macro.ts" with { type: "macro" };

const REQUEST_SCHEMA = jsonSchemaOf("request");
const REPLY_SCHEMA = jsonSchemaOf("reply");
const ATTACH_SCHEMA = jsonSchemaOf("attach");

/** A parsed line: the message, or why the line is not one (for the PROTOCOL_ERROR message). */
export type ParsedLine<T> = { ok: true; message: T } | { ok: false; why: string };

/** A request as the holder's handlers expect it, or why the line is not one. */
export function parseRequestLine(text: string): ParsedLine<Request> {
  return parseLine<Request>(REQUEST_SCHEMA, text, "request is not valid JSON", (type) =>
    typeof type === "string" ? `invalid or unknown request of type ${JSON.stringify(type)}` : "request has no valid type",
  );
}

/** A reply as the client expects it, or why the line is not one. */
export function parseReplyLine(text: string): ParsedLine<Reply> {
  return parseLine<Reply>(REPLY_SCHEMA, text, "the holder sent invalid JSON", () => `the holder sent an unexpected message: ${text.slice(0, 200)}`);
}

/** A message of an attached terminal (input, resize, detach), or why the line is not one. */
export function parseAttachLine(text: string): ParsedLine<AttachClientMessage> {
  return parseLine<AttachClientMessage>(ATTACH_SCHEMA, text, "attach message is not valid JSON", () => "expected an input, resize or detach message");
}

/** A request value (already decoded from JSON), or null when it is malformed or unknown. */
export function parseRequest(value: unknown): Request | null {
  return parseWithSchema<Request>(REQUEST_SCHEMA, value);
}

/** A reply value (already decoded from JSON), or null when it is malformed or unknown. */
export function parseReply(value: unknown): Reply | null {
  return parseWithSchema<Reply>(REPLY_SCHEMA, value);
}

function parseLine<T>(schema: JsonSchema, text: string, notJson: string, invalid: (type: unknown) => string): ParsedLine<T> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, why: notJson };
  }
  const message = parseWithSchema<T>(schema, value);
  if (message !== null) return { ok: true, message };
  return { ok: false, why: invalid((value as { type?: unknown } | null)?.type) };
}
