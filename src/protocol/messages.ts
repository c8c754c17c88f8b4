// The holder <-> client message schemas: protocol/ is the one module both sides import. Every
// line on the socket is one of these, validated on receipt by parse.ts. The zod schemas are the
// one definition: the TypeScript types below are inferred from them, and the run-time checks use
// their JSON Schema form (zod itself never runs in the binary). See docs/protocol.md.
import * as z from "zod/mini";
import { MAX_COLS, MAX_ROWS, MAX_TIMEOUT_MS, PROTOCOL_VERSION } from "../constants.ts";

const int = () => z.number().check(z.int());
const nonNegInt = () => int().check(z.gte(0));
const posInt = () => int().check(z.gte(1));
/** Milliseconds a timer can hold (a larger one would fire at once). */
const ms = () => nonNegInt().check(z.lte(MAX_TIMEOUT_MS));

export const SessionStatus = z.enum(["running", "exited", "crashed"]);
export type SessionStatus = z.infer<typeof SessionStatus>;

// ---- client -> holder ---------------------------------------------------------------------

export const InfoRequest = z.object({
  type: z.literal("info"),
  /** Also look whether the program waits for input (status; list does not ask). */
  input_wait: z.optional(z.boolean()),
});

/** Input bytes (base64). A large write is sent as several chunks with `more: true`; the holder
 *  acks each chunk once it reached the PTY and keeps the input lock until the last one. */
/** How to wait for the program's reply to input (SPEC §10): until it waits for input again,
 *  exits, `until` matches the output without the echo, or `timeout_ms` (null: no limit). */
const ReplyOptions = {
  timeout_ms: z.nullable(ms()),
  until: z.optional(z.object({ source: z.string(), flags: z.string() })),
  /** Quiet time that stands in for the kernel's view where it is missing (macOS). */
  idle_ms: z.optional(ms()),
  /** Move the default reader to the end of what is returned. */
  advance: z.optional(z.boolean()),
};

export const WriteRequest = z.object({
  type: z.literal("write"),
  data: z.string(),
  more: z.optional(z.boolean()),
  paste: z.optional(z.boolean()),
  /** On the first chunk: after `written`, wait for the reply and answer `reply` too (send). One
   *  request, so the connection stays busy and a program that exits at once cannot close it first. */
  reply: z.optional(z.object(ReplyOptions)),
});

export const KeysRequest = z.object({
  type: z.literal("keys"),
  keys: z.array(z.string()),
  /** After `keys-sent`, wait for the reply and answer `reply` too (a dialogue's keys step). */
  reply: z.optional(z.object(ReplyOptions)),
});

export const ReadRequest = z.object({
  type: z.literal("read"),
  /** cursor: the default reader's position; all: the oldest buffered byte; since: `since`. */
  from: z.enum(["cursor", "all", "since"]),
  since: z.optional(nonNegInt()),
  /** Do not advance the default reader (implied by from=since). */
  peek: z.optional(z.boolean()),
  /** Wait for output: null = no limit (`--wait`); absent = do not wait. */
  timeout_ms: z.optional(z.nullable(ms())),
  idle_ms: z.optional(ms()),
  until: z.optional(z.object({ source: z.string(), flags: z.string() })),
  follow: z.optional(z.boolean()),
  /** Also end when the program waits for input (SPEC §10). */
  until_input: z.optional(z.boolean()),
});

/** How a waiting read, reply or wait ended (SPEC §10). */
export const WaitReason = z.enum(["input", "match", "idle", "exit", "timeout"]);
export type WaitReason = z.infer<typeof WaitReason>;

/** Wait for the reply to input delivered at output offset `since` (start --wait: since 0, no input). */
export const ReplyRequest = z.object({ type: z.literal("reply"), since: nonNegInt(), ...ReplyOptions });
export type ReplyRequest = z.infer<typeof ReplyRequest>;

export const ScreenRequest = z.object({ type: z.literal("screen"), scrollback: z.optional(nonNegInt()) });
export const ResizeRequest = z.object({
  type: z.literal("resize"),
  cols: posInt().check(z.lte(MAX_COLS)),
  rows: posInt().check(z.lte(MAX_ROWS)),
});
export const WaitRequest = z.object({
  type: z.literal("wait"),
  timeout_ms: z.optional(z.nullable(ms())),
  /** Return when the program waits for input too, not only when it exits. */
  input: z.optional(z.boolean()),
  idle_ms: z.optional(ms()),
});
export const EndRequest = z.object({ type: z.literal("end"), signal: z.string(), grace_ms: ms() });
/** Turns the connection into an attached terminal (see the Attach section of docs/protocol.md). */
export const AttachRequest = z.object({ type: z.literal("attach"), cols: posInt(), rows: posInt(), read_only: z.boolean() });

/** Run a command (base64) in the session's shell; output streams as `output`, then `exec-end`. */
export const ExecRequest = z.object({
  type: z.literal("exec"),
  data: z.string(),
  /** null or absent: no limit. */
  timeout_ms: z.optional(z.nullable(ms())),
  /** On timeout, interrupt the command (Ctrl-C) instead of leaving it running. */
  kill_on_timeout: z.optional(z.boolean()),
});
export type ExecRequest = z.infer<typeof ExecRequest>;

export const Request = z.discriminatedUnion("type", [
  InfoRequest,
  WriteRequest,
  KeysRequest,
  ReadRequest,
  ScreenRequest,
  ResizeRequest,
  WaitRequest,
  EndRequest,
  AttachRequest,
  ExecRequest,
  ReplyRequest,
]);
export type Request = z.infer<typeof Request>;
export type ReadRequest = z.infer<typeof ReadRequest>;

// ---- holder -> client ---------------------------------------------------------------------

export const Hello = z.object({
  type: z.literal("hello"),
  protocol: int(),
  session_id: z.string(),
  pid: int(),
});

export const ErrorReply = z.object({
  type: z.literal("error"),
  code: z.string(),
  message: z.string(),
});

const ExitFields = {
  status: SessionStatus,
  exit_code: z.nullable(int()),
  signal: z.nullable(z.string()),
};

export const InfoResult = z.object({
  type: z.literal("info"),
  session_id: z.string(),
  name: z.nullable(z.string()),
  pid: int(),
  holder_pid: int(),
  command: z.array(z.string()),
  cwd: z.string(),
  cols: int(),
  rows: int(),
  created_at: z.string(),
  last_accessed_at: z.string(),
  output_bytes: nonNegInt(),
  unread_bytes: nonNegInt(),
  ...ExitFields,
  /** SPEC §10: null when the program is not running. */
  waiting_for_input: z.optional(z.nullable(z.boolean())),
  foreground: z.optional(z.nullable(z.object({ pid: int(), command: z.string() }))),
  input_wait: z.optional(z.enum(["kernel", "quiet"])),
});
export type InfoResult = z.infer<typeof InfoResult>;

/** Reply to each write chunk with `more: true`. */
export const AckResult = z.object({ type: z.literal("ack") });

export const WriteResult = z.object({ type: z.literal("written"), bytes: nonNegInt(), offset: nonNegInt() });
export const KeysResult = z.object({ type: z.literal("keys-sent"), bytes: nonNegInt(), offset: nonNegInt() });

/** Output bytes (base64) starting at absolute `offset`. */
export const OutputChunk = z.object({ type: z.literal("output"), data: z.string(), offset: nonNegInt() });

/** Ends a read: `next_offset` is the offset just after the last byte sent. */
export const ReadEnd = z.object({
  type: z.literal("read-end"),
  offset: nonNegInt(),
  next_offset: nonNegInt(),
  dropped_bytes: nonNegInt(),
  matched: z.boolean(),
  timed_out: z.boolean(),
  ...ExitFields,
  /** Set for reads that waited. */
  reason: z.optional(WaitReason),
});
export type ReadEnd = z.infer<typeof ReadEnd>;

export const ScreenResult = z.object({
  type: z.literal("screen"),
  lines: z.array(z.string()),
  cursor: z.object({ row: nonNegInt(), col: nonNegInt() }),
  cols: int(),
  rows: int(),
  alternate_screen: z.boolean(),
});
export type ScreenResult = z.infer<typeof ScreenResult>;

export const ResizeResult = z.object({ type: z.literal("resized"), cols: int(), rows: int() });
export const WaitResult = z.object({ type: z.literal("exit"), timed_out: z.boolean(), ...ExitFields, reason: z.optional(WaitReason) });

/** Answer to `reply`: the output from `offset` to `next_offset` with the echo of the inputs taken out,
 *  as text (escape sequences still in: the client renders plain text). */
export const ReplyResult = z.object({
  type: z.literal("reply"),
  output: z.string(),
  reason: WaitReason,
  offset: nonNegInt(),
  next_offset: nonNegInt(),
  waiting_for_input: z.nullable(z.boolean()),
  ...ExitFields,
});
export type ReplyResult = z.infer<typeof ReplyResult>;
export const EndResult = z.object({ type: z.literal("terminated"), exit_code: z.nullable(int()), signal: z.nullable(z.string()) });

// ---- attach -----------------------------------------------------------------------------
// After `attach` the connection no longer carries requests: the client sends only these.

/** Keystrokes (base64), delivered like a write: never interleaved inside another writer's input. */
export const AttachInput = z.object({ type: z.literal("input"), data: z.string() });
/** The attached terminal's new size. */
export const AttachResize = ResizeRequest;
export const AttachDetach = z.object({ type: z.literal("detach") });
export const AttachClientMessage = z.discriminatedUnion("type", [AttachInput, AttachResize, AttachDetach]);
export type AttachClientMessage = z.infer<typeof AttachClientMessage>;

/** Reply to `attach`; a `redraw` and then live `output` follow. */
export const AttachedResult = z.object({ type: z.literal("attached"), cols: int(), rows: int(), read_only: z.boolean() });
/** The whole current screen, as escape sequences for a cleared terminal of size cols x rows;
 *  `offset` is where the `output` that follows continues. Sent on attach, after every change of
 *  the session's size, and after output was skipped for a terminal that fell behind. */
export const Redraw = z.object({ type: z.literal("redraw"), cols: int(), rows: int(), offset: nonNegInt(), screen: z.string() });
/** Last message of an attachment: the client asked to detach, or the program exited. */
export const Detached = z.object({
  type: z.literal("detached"),
  reason: z.enum(["detach", "exited"]),
  /** The program left the terminal on the alternate screen. */
  alternate_screen: z.boolean(),
  /** Where the cursor is once off the alternate screen (0-based), to continue below it. */
  cursor: z.object({ row: nonNegInt(), col: nonNegInt() }),
  exit_code: z.nullable(int()),
  signal: z.nullable(z.string()),
});
export type Detached = z.infer<typeof Detached>;
/** Ends an exec. `exit_code` is the shell's `$?` (null while a timed-out command still runs). */
export const ExecEnd = z.object({
  type: z.literal("exec-end"),
  exit_code: z.nullable(int()),
  signal: z.nullable(z.string()),
  timed_out: z.boolean(),
  duration_ms: nonNegInt(),
  /** Output the client read too slowly to get before the ring buffer dropped it (absent: none). */
  dropped_bytes: z.optional(nonNegInt()),
});
export type ExecEnd = z.infer<typeof ExecEnd>;

export const Reply = z.discriminatedUnion("type", [
  Hello,
  ErrorReply,
  InfoResult,
  AckResult,
  WriteResult,
  KeysResult,
  OutputChunk,
  ReadEnd,
  ScreenResult,
  ResizeResult,
  WaitResult,
  EndResult,
  AttachedResult,
  Redraw,
  Detached,
  ExecEnd,
  ReplyResult,
]);
export type Reply = z.infer<typeof Reply>;

export { PROTOCOL_VERSION };

// ---- types derived from the schemas ---------------------------------------------------------

export type RequestType = Request["type"];
export type ReplyType = Reply["type"];
/** The request of one type. */
export type RequestOf<T extends RequestType> = Extract<Request, { type: T }>;
/** The reply of one type. */
export type ReplyOf<T extends ReplyType> = Extract<Reply, { type: T }>;

/**
 * What the holder answers to each request (besides an `error`). Streaming requests (read, exec)
 * answer with several messages; `write` with `ack` per chunk sent with `more: true`.
 */
export interface ReplyTypeFor {
  info: "info";
  write: "written" | "ack";
  keys: "keys-sent";
  read: "output" | "read-end";
  screen: "screen";
  resize: "resized";
  wait: "exit";
  end: "terminated";
  attach: "attached";
  exec: "output" | "exec-end";
  reply: "reply";
}

/** Fails to compile when a request type has no entry in ReplyTypeFor. */
type EveryRequestAnswered<T extends Record<RequestType, ReplyType>> = T;
export type CheckedReplyTypeFor = EveryRequestAnswered<ReplyTypeFor>;

/** A terminal size in character cells. */
export interface Size {
  cols: number;
  rows: number;
}
