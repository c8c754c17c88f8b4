// What each MCP tool returns as structuredContent: the CLI's document for the same operation
// (src/client/documents.ts) plus what the server adds (output caps, the reason of a wait), and the
// error document of a failed call. tools/list gives them as each tool's outputSchema, converted at
// build time (output-schemas.macro.ts); the tests check every result against them.
//
// A failed call (isError: true) carries the CLI's error document as structuredContent, and MCP
// clients check structuredContent against the outputSchema whether or not the call failed (the
// official SDK's client does): so each outputSchema is "the tool's document, or the error document".
import * as z from "zod";
import {
  EndDoc,
  EndedFields,
  EndManyDoc,
  ErrorDoc,
  ExecDoc,
  FirstWaitFields,
  InteractionDoc,
  KeysDoc,
  ListEntry,
  ReadDoc,
  ResizeDoc,
  ScreenDoc,
  ScreenLines,
  StartDoc,
  StatusDoc,
  WaitDoc,
  WriteDoc,
} from "../client/documents.ts";

/** A reply or start-up text over --max-output-bytes keeps its end; this says how much was left out. */
const CappedText = z.object({
  truncated: z.literal(true).optional().describe("Output was left out to fit the cap (its end is kept)."),
  omitted_bytes: z.number().int().min(0).optional().describe("How many bytes were left out from the start."),
});

const StartResult = StartDoc.extend({
  ...FirstWaitFields.partial().shape,
  status: z.enum(["running", "exited"]),
  ...CappedText.shape,
  offset: z.literal(0).optional().describe("Where the whole start-up output begins, when it was capped (read since = 0)."),
  screen: ScreenLines.optional().describe("The rendered screen (start with screen: true)."),
  ...EndedFields.shape,
}).describe("The new session; with wait, also what the program printed until it first waited for input.");

const SendResult = InteractionDoc.extend(CappedText.shape).describe("The program's reply to the input.");

const ScreenResult = ScreenDoc.extend({
  truncated: z.literal(true).optional().describe("The oldest lines were left out to fit the cap."),
  omitted_lines: z.number().int().min(0).optional(),
}).describe("The terminal's screen as it looks now.");

const WaitResult = WaitDoc.extend({
  reason: z.enum(["input", "exit", "timeout"]).describe("exit: the program ended; input: it waits for input; timeout: neither yet."),
});

const ListResult = z.object({ sessions: z.array(ListEntry) }).describe("Every session of the sessions directory.");

/** Each tool's document on success. */
export const TOOL_DOCUMENTS: Record<string, z.ZodType> = {
  start: StartResult,
  send: SendResult,
  write: WriteDoc.describe("The text was sent; offset is the output offset at that moment."),
  keys: KeysDoc.describe("The keys were sent; offset is the output offset at that moment."),
  read: ReadDoc.describe("Output as text, with the offsets to continue from."),
  screen: ScreenResult,
  exec: ExecDoc.describe("The command's output and exit status."),
  wait: WaitResult,
  list: ListResult,
  status: StatusDoc.describe("One session's state."),
  resize: ResizeDoc,
  end: z.union([EndDoc, EndManyDoc]).describe("The session was ended and removed."),
};

/** A tool's structuredContent, success or failure: what its outputSchema says. */
export function toolResultSchema(tool: string): z.ZodType {
  const doc = TOOL_DOCUMENTS[tool];
  if (!doc) throw new Error(`no output document for the tool ${JSON.stringify(tool)}`);
  return z.union([doc, ErrorDoc.describe("A failed call (isError: true): the CLI's error document.")]);
}
