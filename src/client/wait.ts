// wait: until the session's program exits or, with `input`, waits for input (SPEC §10); or the
// timeout (TIMEOUT). One function for every front end; it owns its connection.
import { DeltaError, ErrorCode } from "../errors.ts";
import { notLive, runOnSession } from "./session.ts";

export interface WaitParams {
  sessionsDir: string;
  session: string;
  /** Also return when the program waits for input. */
  input?: boolean;
  /** null: no limit. */
  timeoutMs: number | null;
}

export interface WaitOutcome {
  session_id: string;
  status: "running" | "exited";
  exit_code: number | null;
  signal: string | null;
  /** With `input` only (plain `wait` keeps the baseline's shape). */
  reason?: "input" | "exit";
}

export async function waitForSession(p: WaitParams): Promise<WaitOutcome> {
  return runOnSession(p.sessionsDir, p.session, async (target) => {
    if (target.kind === "crashed" || target.kind === "unresponsive") throw notLive(target);
    if (target.kind === "exited") {
      const base = { session_id: target.id, status: "exited" as const, exit_code: target.final.exit_code, signal: target.final.signal };
      return p.input ? { ...base, reason: "exit" } : base;
    }
    const reply = await target.conn.request({ type: "wait", timeout_ms: p.timeoutMs, ...(p.input ? { input: true } : {}) }, "exit");
    if (reply.timed_out) {
      const what = p.input ? "has not waited for input" : "still running";
      throw new DeltaError(ErrorCode.TIMEOUT, `session ${target.id} ${what} after ${p.timeoutMs} ms`);
    }
    return {
      session_id: target.id,
      status: reply.status === "exited" ? "exited" : "running",
      exit_code: reply.exit_code,
      signal: reply.signal,
      ...(p.input ? { reason: reply.reason === "input" ? ("input" as const) : ("exit" as const) } : {}),
    };
  });
}
