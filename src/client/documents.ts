// The JSON documents the operations return (the CLI's --json output, the MCP tools'
// structuredContent), as zod schemas: the typed spec that the MCP tools' outputSchema is generated
// from (at build time, src/mcp/output-schemas.macro.ts: zod does not run in the binary) and that the
// tests check results against. No operation imports this module; the type checks at the end keep
// the client's result types (the interfaces in this directory) inside these schemas, so a field
// added there and forgotten here fails the type check.
//
// Objects are open on the input side (a client reading a newer document keeps working) and closed
// on the output side (`io: "output"`): the tests check results against the closed form, so an
// undeclared field is caught there.
import * as z from "zod";
import type { WaitReason as WireWaitReason } from "../protocol/messages.ts";
import type { SessionStatusDoc } from "./describe.ts";
import type { EndResult } from "./end.ts";
import type { ExecDoc as ExecResult } from "./exec.ts";
import type { KeysDoc as KeysResult } from "./keys.ts";
import type { ListEntry as ListResult } from "./list.ts";
import type { ReadDoc as ReadResult } from "./read.ts";
import type { ResizeDoc as ResizeResult } from "./resize.ts";
import type { Screen } from "./screen.ts";
import type { InteractionResult } from "./send.ts";
import type { FirstWait, StartedAndWaited } from "./start-wait.ts";
import type { StartResult } from "./start.ts";
import type { WaitDoc as WaitResult } from "./wait.ts";
import type { WriteDoc as WriteResult } from "./write.ts";

const int = () => z.number().int();
const offset = () => int().min(0).describe("Absolute output offset (0 = the first byte the program wrote).");
const sessionId = z.string().describe("Session id (sess_ and 12 hex digits).");
const name = z.string().nullable().describe("The name given at start, or null.");
const command = z.array(z.string()).describe("The program and its arguments.");
const timestamp = z.string().describe("ISO 8601 UTC time.");
const exitCode = int().nullable().describe("The program's exit code; null while it runs or when a signal ended it.");
const signal = z.string().nullable().describe('The signal that ended the program ("SIGHUP"…), or null.');
const waitingForInput = z.boolean().nullable().describe("Whether the program waits for input now; null when it cannot be told (not running).");
export const Cursor = z.object({ row: int().min(0), col: int().min(0) });

export const SessionStatus = z.enum(["running", "exited", "crashed", "unresponsive"]);
export const WaitReason = z.enum(["input", "match", "idle", "exit", "timeout"]);

/** `start` (without waiting). */
export const StartDoc = z.object({
  session_id: sessionId,
  name,
  status: z.literal("running"),
  pid: int().describe("The program's process id."),
  holder_pid: int().describe("The process that holds the session's terminal."),
  command,
  cwd: z.string(),
  cols: int(),
  rows: int(),
  created_at: timestamp,
});

/** A rendered screen: rows of text and the cursor (row 0 is the top row of the screen). */
export const ScreenLines = z.object({ lines: z.array(z.string()), cursor: Cursor });

/** What `start` adds when it waits for the program's first prompt. */
export const FirstWaitFields = z.object({
  status: z.enum(["running", "exited"]),
  output: z.string().describe("What the program printed, as plain text."),
  reason: z.enum(["input", "exit", "timeout"]).describe("input: it waits for input; exit: it ended; timeout: still busy."),
  exit_code: exitCode,
  signal,
  screen: ScreenLines.optional().describe("The rendered screen (start with screen: true)."),
});
export const StartWaitedDoc = StartDoc.extend(FirstWaitFields.shape);


/** One step of a dialogue (send with steps). */
export const StepDoc = z.object({ output: z.string(), reason: WaitReason.exclude(["idle"]) });

/** Fields an operation's reply carries when it also ended the session (`end: true`). */
export const EndedFields = z.object({
  ended: z.literal(true).optional().describe("The session was ended after the reply."),
});

/** `send`: the program's reply to the input. */
export const InteractionDoc = z
  .object({
    session_id: sessionId,
    output: z.string().describe("The program's reply, as plain text, without the echo of the input."),
    reason: WaitReason.exclude(["idle"]).describe("input: it waits for input again; match: until matched; exit: it ended; timeout: still busy."),
    offset: offset(),
    next_offset: offset(),
    waiting_for_input: waitingForInput,
    status: z.enum(["running", "exited"]),
    exit_code: exitCode,
    signal,
    screen: ScreenLines.optional(),
    steps: z.array(StepDoc).optional().describe("One entry per step that ran (send with steps)."),
    stopped_at: int().min(0).optional().describe("Index of the last step that ran, when not every step ran."),
  })
  .extend(EndedFields.shape);

export const WriteDoc = z.object({ status: z.literal("sent"), bytes: int().min(0), session_id: sessionId, offset: offset() });

export const KeysDoc = z.object({
  status: z.literal("sent"),
  key: z.string().describe("The first key name."),
  keys: z.array(z.string()),
  session_id: sessionId,
  offset: offset(),
});

/** `read` (the byte stream as text). */
export const ReadDoc = z.object({
  session_id: sessionId,
  output: z.string(),
  offset: offset(),
  next_offset: offset().describe("Where the next read continues (read since = next_offset)."),
  dropped_bytes: int().min(0).describe("Output the buffer dropped before this reader saw it."),
  matched: z.boolean(),
  timed_out: z.boolean(),
  status: z.enum(["running", "exited", "crashed"]),
  exit_code: exitCode,
  signal,
  reason: WaitReason.optional().describe("How a waiting read ended."),
  truncated: z.literal(true).optional().describe("More output follows: read again with since = next_offset."),
});

/** `read --screen`: the screen as a terminal shows it now. */
export const ScreenDoc = z.object({
  session_id: sessionId,
  lines: z.array(z.string()),
  cursor: Cursor,
  cols: int(),
  rows: int(),
  alternate_screen: z.boolean().describe("A full-screen program (vim, less, top) has switched to the alternate screen."),
});

export const ExecDoc = z
  .object({
    output: z.string().describe("stdout and stderr merged, plain text."),
    exit_code: exitCode,
    signal,
    duration_ms: int().min(0),
    timed_out: z.boolean().describe("The wait ended before the command, which keeps running."),
    truncated: z.literal(true).optional(),
    omitted_bytes: int().min(0).optional().describe("Output left out from the start to fit the cap."),
    dropped_bytes: int().min(0).optional(),
  })
  .extend(EndedFields.shape);

export const WaitDoc = z.object({
  session_id: sessionId,
  status: z.enum(["running", "exited"]),
  exit_code: exitCode,
  signal,
  reason: z.enum(["input", "exit", "timeout"]).optional(),
});

export const ListEntry = z.object({
  session_id: sessionId,
  name,
  command,
  status: SessionStatus,
  pid: int(),
  holder_pid: int(),
  cwd: z.string(),
  created_at: timestamp,
  last_accessed_at: timestamp,
  exit_code: exitCode,
  signal,
});

export const StatusDoc = z.object({
  session_id: sessionId,
  name,
  status: SessionStatus,
  alive: z.boolean(),
  pid: int(),
  holder_pid: int(),
  command,
  cwd: z.string(),
  cols: int(),
  rows: int(),
  created_at: timestamp,
  last_accessed_at: timestamp,
  uptime_seconds: z.number().min(0),
  exit_code: exitCode,
  signal,
  output_bytes: int().min(0).nullable(),
  unread_bytes: int().min(0).nullable(),
  waiting_for_input: waitingForInput.optional(),
  foreground: z.object({ pid: int(), command: z.string() }).nullable().optional().describe("The process that holds the terminal now."),
  input_wait: z.enum(["kernel", "quiet"]).optional().describe("How waiting_for_input is told: the kernel's view, or quiet output."),
});

export const ResizeDoc = z.object({ status: z.literal("resized"), session_id: sessionId, cols: int(), rows: int() });

export const EndDoc = z.object({ status: z.literal("terminated"), session_id: sessionId, exit_code: exitCode, signal });
/** `end --all` and `end` of several sessions. */
export const EndManyDoc = z.object({ status: z.literal("terminated"), sessions: z.array(EndDoc) });

export const CleanupDoc = z.object({ cleaned: z.array(sessionId), remaining: z.array(sessionId) });

/** Every failure: the message, a stable code, and extra fields some codes carry. */
export const ErrorDoc = z.looseObject({
  error: z.string().describe("What went wrong, for a person."),
  code: z.string().describe("A stable code: SESSION_NOT_FOUND, SESSION_EXITED, INVALID_ARGUMENT, BUSY, …"),
});

// ---- the client's result types stay inside these schemas -------------------------------------

/** true when T is assignable to U and has no key U does not declare. */
type Conforms<T, U> = [T] extends [U] ? ([Exclude<keyof T, keyof U>] extends [never] ? true : false) : false;
type Doc<S extends z.ZodType> = z.infer<S>;
/** Each client result type and the schema of its document. */
interface ResultsAndSchemas {
  start: [StartResult, Doc<typeof StartDoc>];
  firstWait: [FirstWait, Doc<typeof FirstWaitFields>];
  startWaited: [StartedAndWaited, Doc<typeof StartWaitedDoc>];
  send: [InteractionResult, Doc<typeof InteractionDoc>];
  write: [WriteResult, Doc<typeof WriteDoc>];
  keys: [KeysResult, Doc<typeof KeysDoc>];
  read: [ReadResult, Doc<typeof ReadDoc>];
  screen: [Screen & { session_id: string }, Doc<typeof ScreenDoc>];
  exec: [ExecResult, Doc<typeof ExecDoc>];
  wait: [WaitResult, Doc<typeof WaitDoc>];
  list: [ListResult, Doc<typeof ListEntry>];
  status: [SessionStatusDoc, Doc<typeof StatusDoc>];
  resize: [ResizeResult, Doc<typeof ResizeDoc>];
  end: [EndResult, Doc<typeof EndDoc>];
  waitReason: [{ reason: WireWaitReason }, { reason: Doc<typeof WaitReason> }];
}
/** The names of the pairs that do not conform: the type check names them. */
type Failing = { [K in keyof ResultsAndSchemas]: Conforms<ResultsAndSchemas[K][0], ResultsAndSchemas[K][1]> extends true ? never : K }[keyof ResultsAndSchemas];
type NoneFailing<F extends never> = F;
export type ClientResultsConform = NoneFailing<Failing>;
