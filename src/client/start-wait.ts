// start --wait (SPEC §10): start a session, then return once its program first waits for input
// (or exits, or the timeout), with what it printed so far as plain text. The default reader moves
// past it. One function for every front end.
import { stripAnsi } from "../text/ansi.ts";
import { readOutput } from "./read.ts";
import { readScreen } from "./screen.ts";
import { awaitReply } from "./send.ts";
import { notLive, runOnSession, type SessionTarget } from "./session.ts";
import { startSession, type StartOptions, type StartResult } from "./start.ts";

export interface StartedAndWaited extends Omit<StartResult, "status"> {
  status: "running" | "exited";
  output: string;
  reason: "input" | "exit" | "timeout";
  exit_code: number | null;
  signal: string | null;
  /** With `screen`: the rendered screen at that moment (full-screen programs). */
  screen?: { lines: string[]; cursor: { row: number; col: number } };
}

export type FirstWait = Pick<StartedAndWaited, "status" | "output" | "reason" | "exit_code" | "signal" | "screen">;

/** Until the program of a session just started first waits for input (or exits, or the timeout). */
export async function waitForFirstInput(sessionsDir: string, target: SessionTarget, timeoutMs: number | null, screen = false): Promise<FirstWait> {
  if (target.kind === "crashed" || target.kind === "unresponsive") throw notLive(target);
  if (target.kind === "exited") {
    const r = await readOutput(sessionsDir, target, { type: "read", from: "cursor" });
    const output = stripAnsi(new TextDecoder().decode(r.output));
    const waited: FirstWait = { status: "exited", output, reason: "exit", exit_code: r.exit_code, signal: r.signal };
    if (screen) {
      const s = await readScreen(target, 0);
      waited.screen = { lines: s.lines, cursor: s.cursor };
    }
    return waited;
  }
  const r = await awaitReply(target.conn, sessionsDir, target.id, { since: 0, timeoutMs, screen });
  const reason = r.reason === "match" ? "input" : r.reason;
  return { status: r.status, output: r.output, reason, exit_code: r.exit_code, signal: r.signal, ...(r.screen ? { screen: r.screen } : {}) };
}

export async function startAndWait(opts: StartOptions, timeoutMs: number | null, screen = false): Promise<StartedAndWaited> {
  const started = await startSession(opts);
  const waited = await runOnSession(opts.sessionsDir, started.session_id, (target) => waitForFirstInput(opts.sessionsDir, target, timeoutMs, screen));
  return { ...started, ...waited };
}
