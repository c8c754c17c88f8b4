// Reading output, from a live holder (which does the waiting) or from an exited session's final
// state (nothing more can come, so nothing waits).
import { base64ToBytes } from "../protocol/codec.ts";
import { concatBytes } from "../text/bytes.ts";
import type { ReadRequest, WaitReason } from "../protocol/messages.ts";
import { writeFinalState } from "../store/final-state.ts";
import { notLive, runOnSession, type SessionTarget } from "./session.ts";
import { DeltaError, ErrorCode, invalidArgument } from "../errors.ts";
import { capHead, capTail } from "../text/cap.ts";

export interface ReadOutcome {
  output: Uint8Array;
  offset: number;
  next_offset: number;
  dropped_bytes: number;
  matched: boolean;
  timed_out: boolean;
  status: "running" | "exited" | "crashed";
  exit_code: number | null;
  signal: string | null;
  /** How a waiting read ended (absent for reads that did not wait). */
  reason?: WaitReason;
}

/**
 * Runs a read. `onChunk`, when given, receives output as it arrives (for --follow) and the
 * outcome's `output` stays empty.
 */
export async function readOutput(
  sessionsDir: string,
  target: SessionTarget,
  req: ReadRequest,
  onChunk?: (bytes: Uint8Array) => Promise<void>,
): Promise<ReadOutcome> {
  if (target.kind === "crashed" || target.kind === "unresponsive") throw notLive(target);
  if (target.kind === "exited") return readFinal(sessionsDir, target, req, onChunk);
  const conn = target.conn;
  conn.send(req);
  const parts: Uint8Array[] = [];
  for (;;) {
    const msg = await conn.next();
    if (msg.type === "output") {
      const bytes = base64ToBytes(msg.data);
      if (onChunk) await onChunk(bytes);
      else parts.push(bytes);
      continue;
    }
    if (msg.type !== "read-end") throw new DeltaError(ErrorCode.PROTOCOL_ERROR, `unexpected ${msg.type} during read`);
    const { type: _type, ...end } = msg;
    return { ...end, output: parts.length === 0 ? new Uint8Array(0) : concatBytes(parts) };
  }
}

async function readFinal(
  sessionsDir: string,
  target: Extract<SessionTarget, { kind: "exited" }>,
  req: ReadRequest,
  onChunk?: (bytes: Uint8Array) => Promise<void>,
): Promise<ReadOutcome> {
  const f = target.final;
  const kept = base64ToBytes(f.output);
  const requested = req.from === "cursor" ? f.cursor : req.from === "all" ? f.output_start : (req.since ?? 0);
  const start = Math.min(Math.max(requested, f.output_start), f.output_end);
  const output = kept.subarray(start - f.output_start);
  let matched = false;
  if (req.until) {
    const { stripAnsi } = await import("../text/ansi.ts");
    matched = new RegExp(req.until.source, req.until.flags).test(stripAnsi(new TextDecoder().decode(output)));
  }
  if (req.from !== "since" && req.peek !== true && f.cursor !== f.output_end) {
    writeFinalState(sessionsDir, target.id, { ...f, cursor: f.output_end, last_accessed_at: new Date().toISOString() });
  }
  if (onChunk && output.length > 0) await onChunk(output);
  return {
    output: onChunk ? new Uint8Array(0) : output,
    offset: start,
    next_offset: f.output_end,
    dropped_bytes: Math.max(0, f.output_start - requested),
    matched,
    timed_out: false,
    status: "exited",
    exit_code: f.exit_code,
    signal: f.signal,
    ...(req.timeout_ms !== undefined || req.follow || req.until_input ? { reason: matched ? ("match" as const) : ("exit" as const) } : {}),
  };
}

/** What the CLI's `read` and the MCP `read` tool ask for (everything but --follow and --screen). */
export interface ReadParams {
  from: "cursor" | "all" | "since";
  since?: number;
  peek?: boolean;
  /** Wait for output: absent = do not wait, null = no limit. */
  timeoutMs?: number | null;
  idleMs?: number;
  until?: string;
  /** With `until`: match regardless of case. */
  ignoreCase?: boolean;
  /** End when the program waits for input (SPEC §10). */
  untilInput?: boolean;
  stripAnsi?: boolean;
  /** Only the last N lines. */
  lines?: number;
  /** Raw output bytes beyond this are left out (`truncated`; the offsets say what was returned). */
  maxOutputBytes?: number;
}

export interface ReadResult extends Omit<ReadOutcome, "output"> {
  output: Uint8Array;
  truncated: boolean;
}

export interface ReadDoc extends Omit<ReadOutcome, "output"> {
  session_id: string;
  output: string;
  truncated?: true;
}

/** Checks an --until pattern (JavaScript syntax) before anything is sent. Flag m: ^ and $ match
 *  at line boundaries of the plain text (SPEC §3a "Waiting reads"); i with `ignoreCase`. */
export function compileUntil(source: string, ignoreCase = false): { source: string; flags: string } {
  const flags = ignoreCase ? "mi" : "m";
  try {
    new RegExp(source, flags);
  } catch (err) {
    throw invalidArgument(`--until: invalid regular expression: ${(err as Error).message}`);
  }
  return { source, flags };
}

export function buildReadRequest(p: ReadParams): ReadRequest {
  return {
    type: "read",
    from: p.from,
    ...(p.from === "since" ? { since: p.since ?? 0 } : {}),
    ...(p.peek ? { peek: true } : {}),
    ...(p.timeoutMs !== undefined ? { timeout_ms: p.timeoutMs } : {}),
    ...(p.idleMs !== undefined ? { idle_ms: p.idleMs } : {}),
    ...(p.until !== undefined ? { until: compileUntil(p.until, p.ignoreCase === true) } : {}),
    ...(p.untilInput ? { until_input: true } : {}),
  };
}

/** A whole read: the request, then capping (on the raw bytes, so the offsets stay exact),
 *  plain text and --lines (`offset` then says where the returned text starts). */
export async function readFinished(sessionsDir: string, target: SessionTarget, p: ReadParams): Promise<ReadResult> {
  const outcome = await readOutput(sessionsDir, target, buildReadRequest(p));
  let { output, offset, next_offset } = outcome;
  let truncated = false;
  if (p.maxOutputBytes !== undefined && output.length > p.maxOutputBytes) {
    truncated = true;
    // --lines wants the end; any other read continues from next_offset with `since`.
    if (p.lines !== undefined) {
      const cut = capTail(output, p.maxOutputBytes);
      output = cut.bytes;
      offset = next_offset - output.length;
    } else {
      output = capHead(output, p.maxOutputBytes).bytes;
      next_offset = offset + output.length;
    }
  }
  const { renderReadOutput } = await import("./read-render.ts");
  const rendered = await renderReadOutput(output, p.stripAnsi === true, p.lines);
  return { ...outcome, output: rendered.bytes, offset: offset + rendered.skipped, next_offset, truncated };
}

export function readDoc(sessionId: string, r: ReadResult): ReadDoc {
  const { output, truncated, ...rest } = r;
  return { session_id: sessionId, output: new TextDecoder().decode(output), ...rest, ...(truncated ? { truncated: true as const } : {}) };
}

/** read by session id or name, owning the connection (the CLI's read; --until is checked before
 *  the session is touched). */
export async function readSession(sessionsDir: string, idOrName: string, p: ReadParams): Promise<{ session_id: string; result: ReadResult }> {
  buildReadRequest(p);
  return runOnSession(sessionsDir, idOrName, async (target) => ({ session_id: target.id, result: await readFinished(sessionsDir, target, p) }));
}

/** read --follow by session id or name: output goes to `onChunk` until the program exits. */
export async function followSession(sessionsDir: string, idOrName: string, p: ReadParams, onChunk: (bytes: Uint8Array) => Promise<void>): Promise<ReadOutcome> {
  const req: ReadRequest = { ...buildReadRequest(p), follow: true };
  return runOnSession(sessionsDir, idOrName, (target) => readOutput(sessionsDir, target, req, onChunk));
}
