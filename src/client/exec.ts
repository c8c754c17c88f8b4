// Running an exec on a live holder: send the command, hand each output chunk on as it arrives,
// return the end report. `runExec` and `execCollect` work on a connection the caller holds (the
// MCP server reuses its own); `execInSession` and `execCollectInSession` reach the session by id or
// name and own the connection (the CLI).
import { DeltaError, ErrorCode } from "../errors.ts";
import { base64ToBytes, bytesToBase64 } from "../protocol/codec.ts";
import type { ExecEnd } from "../protocol/messages.ts";
import type { HolderConnection } from "./connection.ts";
import { runOnLiveSession } from "./session.ts";

export interface ExecParams {
  command: Uint8Array;
  timeoutMs: number | null;
  killOnTimeout: boolean;
}

export async function runExec(conn: HolderConnection, params: ExecParams, onChunk: (bytes: Uint8Array) => Promise<void>): Promise<ExecEnd> {
  conn.send({
    type: "exec",
    data: bytesToBase64(params.command),
    timeout_ms: params.timeoutMs,
    ...(params.killOnTimeout ? { kill_on_timeout: true } : {}),
  });
  for (;;) {
    const msg = await conn.next();
    if (msg.type === "output") {
      await onChunk(base64ToBytes(msg.data));
      continue;
    }
    if (msg.type === "exec-end") return msg;
    throw new DeltaError(ErrorCode.PROTOCOL_ERROR, `unexpected ${msg.type} during exec`);
  }
}

export interface ExecDoc {
  output: string;
  exit_code: number | null;
  signal: string | null;
  duration_ms: number;
  timed_out: boolean;
  /** Set when output was left out to fit `maxOutputBytes` (the end is kept: errors are there). */
  truncated?: true;
  omitted_bytes?: number;
  /** Output the holder's ring buffer dropped before this client read it (a client far behind). */
  dropped_bytes?: number;
}

/** An exec whose whole output is returned as plain text (`exec --json`, the MCP `exec` tool). */
export async function execCollect(conn: HolderConnection, params: ExecParams, maxOutputBytes?: number): Promise<ExecDoc> {
  const { AnsiStripper } = await import("../text/ansi.ts");
  const stripper = new AnsiStripper();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  const end = await runExec(conn, params, async (bytes) => void parts.push(stripper.push(decoder.decode(bytes, { stream: true }))));
  parts.push(stripper.push(decoder.decode()) + stripper.end());
  let output = parts.join("");
  const doc: ExecDoc = {
    output,
    exit_code: end.exit_code,
    signal: end.signal,
    duration_ms: end.duration_ms,
    timed_out: end.timed_out,
    ...(end.dropped_bytes ? { dropped_bytes: end.dropped_bytes } : {}),
  };
  if (maxOutputBytes !== undefined) {
    const { capTail } = await import("../text/cap.ts");
    const cut = capTail(new TextEncoder().encode(output), maxOutputBytes);
    if (cut.omitted > 0) {
      output = new TextDecoder().decode(cut.bytes);
      return { ...doc, output, truncated: true, omitted_bytes: cut.omitted };
    }
  }
  return doc;
}

export async function execInSession(sessionsDir: string, idOrName: string, params: ExecParams, onChunk: (bytes: Uint8Array) => Promise<void>): Promise<ExecEnd> {
  return runOnLiveSession(sessionsDir, idOrName, (target) => runExec(target.conn, params, onChunk));
}

export async function execCollectInSession(sessionsDir: string, idOrName: string, params: ExecParams): Promise<ExecDoc> {
  return runOnLiveSession(sessionsDir, idOrName, (target) => execCollect(target.conn, params));
}
