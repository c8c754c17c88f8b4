// wait: until the session's program exits or, with `input`, waits for input (SPEC §10); or the
// timeout. One implementation for every front end: `waitOnTarget` works on a session already
// reached (the MCP server reuses its connections), `waitForSession` reaches it and owns the
// connection (the CLI).
import { DeltaError, ErrorCode } from "../errors.ts";
import { notLive, runOnSession, type SessionTarget } from "./session.ts";

export interface WaitParams {
  /** Also return when the program waits for input. */
  input?: boolean;
  /** null: no limit. */
  timeoutMs: number | null;
}

export interface WaitDoc {
  session_id: string;
  status: "running" | "exited";
  exit_code: number | null;
  signal: string | null;
  /** With `input` only (plain `wait` keeps the baseline's shape). */
  reason?: "input" | "exit" | "timeout";
}

/** A timeout is reported (reason "timeout" / `timed_out`), not thrown: the CLI turns it into its
 *  TIMEOUT error, the MCP server into a result with reason "timeout". */
export async function waitOnTarget(target: SessionTarget, p: WaitParams): Promise<WaitDoc & { timed_out: boolean }> {
  if (target.kind === "crashed" || target.kind === "unresponsive") throw notLive(target);
  if (target.kind === "exited") {
    const base = { session_id: target.id, status: "exited" as const, exit_code: target.final.exit_code, signal: target.final.signal, timed_out: false };
    return p.input ? { ...base, reason: "exit" } : base;
  }
  const reply = await target.conn.request({ type: "wait", timeout_ms: p.timeoutMs, ...(p.input ? { input: true } : {}) }, "exit");
  const reason = reply.timed_out ? ("timeout" as const) : reply.reason === "input" ? ("input" as const) : ("exit" as const);
  return {
    session_id: target.id,
    status: reply.status === "exited" ? "exited" : "running",
    exit_code: reply.exit_code,
    signal: reply.signal,
    timed_out: reply.timed_out,
    ...(p.input ? { reason } : {}),
  };
}

/** The CLI's wait: a timeout is the TIMEOUT error (exit 124). */
export async function waitForSession(p: WaitParams & { sessionsDir: string; session: string }): Promise<WaitDoc> {
  return runOnSession(p.sessionsDir, p.session, async (target) => {
    const { timed_out, ...doc } = await waitOnTarget(target, p);
    if (timed_out) {
      const what = p.input ? "has not waited for input" : "still running";
      throw new DeltaError(ErrorCode.TIMEOUT, `session ${doc.session_id} ${what} after ${p.timeoutMs} ms`);
    }
    return doc;
  });
}
