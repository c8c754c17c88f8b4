// send (SPEC §10): type input exactly as `write` does, then wait for the program's reply — until it
// waits for input again, exits, `until` matches, or the timeout — and return it as plain text
// without the terminal's echo of what was typed. The default reader moves past what is returned.
// One function for every front end (CLI, MCP); it owns its connection.
import { DEFAULT_SEND_TIMEOUT_MS } from "../constants.ts";
import { DeltaError, ErrorCode } from "../errors.ts";
import { validateKeys } from "../keys/keys.ts";
import type { RequestOf, WaitReason } from "../protocol/messages.ts";
import { stripAnsi } from "../text/ansi.ts";
import type { HolderConnection } from "./connection.ts";
import { sendInput } from "./input.ts";
import { readScreen } from "./screen.ts";
import { openSession, runOnLiveSession, type LiveTarget } from "./session.ts";

export interface SendOptions {
  /** Bracketed paste when the program has turned it on. */
  paste?: boolean;
  /** Default 30 000 ms; null: no limit. */
  timeoutMs?: number | null;
  /** Ends the wait when it matches the reply (JavaScript regex; the echo is never matched). */
  until?: { source: string; flags: string };
  /** Quiet time that stands in for the kernel's view where it is missing (macOS). */
  idleMs?: number;
  /** Also return the rendered screen at the end. */
  screen?: boolean;
}

export interface SendParams extends SendOptions {
  sessionsDir: string;
  /** Session id or name. */
  session: string;
  /** The bytes to type (escapes already decoded, Enter already appended, as the caller wants). */
  input: Uint8Array;
}

export interface InteractionResult {
  session_id: string;
  /** Plain text: escape sequences removed, CRLF -> LF. */
  output: string;
  reason: Exclude<WaitReason, "idle">;
  offset: number;
  next_offset: number;
  waiting_for_input: boolean | null;
  status: "running" | "exited";
  exit_code: number | null;
  signal: string | null;
  screen?: { lines: string[]; cursor: { row: number; col: number } };
}

/** send on a session reached by the caller (the CLI opens one; the MCP server reuses its own). */
export async function sendOnTarget(target: LiveTarget, sessionsDir: string, input: Uint8Array, o: SendOptions): Promise<InteractionResult> {
  // One request: the holder answers `written`, then the `reply`.
  await sendInput(target.conn, input, o.paste === true, { reply: replyOptions(o) });
  return takeReply(target.conn, sessionsDir, target.id, o.screen === true);
}

/** Presses named keys, then waits for the reply as send does (a dialogue's keys step). */
export async function pressKeysOnTarget(target: LiveTarget, sessionsDir: string, keys: string[], o: SendOptions): Promise<InteractionResult> {
  validateKeys(keys);
  await target.conn.request({ type: "keys", keys, reply: replyOptions(o) }, "keys-sent");
  return takeReply(target.conn, sessionsDir, target.id, o.screen === true);
}

/** How the holder waits for the reply (the options of a `reply` request). */
function replyOptions(o: SendOptions): Omit<RequestOf<"reply">, "type" | "since"> {
  return {
    timeout_ms: o.timeoutMs === undefined ? DEFAULT_SEND_TIMEOUT_MS : o.timeoutMs,
    advance: true,
    ...(o.until ? { until: o.until } : {}),
    ...(o.idleMs !== undefined ? { idle_ms: o.idleMs } : {}),
  };
}

export async function sendAndReply(p: SendParams): Promise<InteractionResult> {
  return runOnLiveSession(p.sessionsDir, p.session, (target) => sendOnTarget(target, p.sessionsDir, p.input, p));
}

export interface ReplyWait {
  since: number;
  timeoutMs: number | null;
  until?: { source: string; flags: string };
  idleMs?: number;
  screen: boolean;
}

/** Waits on an open connection for the reply to input delivered at `since` (start --wait). */
export async function awaitReply(conn: HolderConnection, sessionsDir: string, id: string, w: ReplyWait): Promise<InteractionResult> {
  conn.send({
    type: "reply",
    since: w.since,
    timeout_ms: w.timeoutMs,
    advance: true,
    ...(w.until ? { until: w.until } : {}),
    ...(w.idleMs !== undefined ? { idle_ms: w.idleMs } : {}),
  });
  return takeReply(conn, sessionsDir, id, w.screen);
}

async function takeReply(conn: HolderConnection, sessionsDir: string, id: string, screen: boolean): Promise<InteractionResult> {
  const r = await conn.next();
  if (r.type !== "reply") throw new DeltaError(ErrorCode.PROTOCOL_ERROR, `expected a reply, got ${r.type}`);
  if (r.reason === "idle") throw new DeltaError(ErrorCode.PROTOCOL_ERROR, "unexpected reason idle in a reply");
  const result: InteractionResult = {
    session_id: id,
    output: stripAnsi(r.output),
    reason: r.reason,
    offset: r.offset,
    next_offset: r.next_offset,
    waiting_for_input: r.waiting_for_input,
    status: r.status === "exited" ? "exited" : "running",
    exit_code: r.exit_code,
    signal: r.signal,
  };
  if (screen) result.screen = await screenAfter(conn, sessionsDir, id);
  return result;
}

/** The screen now; from the exited session's final screen when the holder has just closed. */
export async function screenAfter(conn: HolderConnection, sessionsDir: string, id: string): Promise<{ lines: string[]; cursor: { row: number; col: number } }> {
  try {
    const s = await conn.request({ type: "screen", scrollback: 0 }, "screen");
    return { lines: s.lines, cursor: s.cursor };
  } catch (err) {
    if (!(err instanceof DeltaError) || err.code !== ErrorCode.HOLDER_UNREACHABLE) throw err;
    const again = await openSession(sessionsDir, id);
    try {
      const s = await readScreen(again, 0);
      return { lines: s.lines, cursor: s.cursor };
    } finally {
      if (again.kind === "live") again.conn.close();
    }
  }
}
