// wait: until the session's program exits (or the timeout passes).
import { notLive, type SessionTarget } from "./session.ts";

export interface WaitDoc {
  session_id: string;
  status: "running" | "exited" | "crashed";
  exit_code: number | null;
  signal: string | null;
  timed_out: boolean;
}

/** `timeoutMs` null waits without limit. A timeout is reported (`timed_out`), not thrown: the CLI
 *  turns it into its TIMEOUT error, the MCP server into a result with reason "timeout". */
export async function waitForExit(target: SessionTarget, timeoutMs: number | null): Promise<WaitDoc> {
  if (target.kind === "crashed") throw notLive(target);
  if (target.kind === "exited") {
    return { session_id: target.id, status: "exited", exit_code: target.final.exit_code, signal: target.final.signal, timed_out: false };
  }
  const reply = await target.conn.request({ type: "wait", timeout_ms: timeoutMs }, "exit");
  return { session_id: target.id, status: reply.status, exit_code: reply.exit_code, signal: reply.signal, timed_out: reply.timed_out };
}
