// A holder whose socket file was deleted (a /tmp cleaner, a careless rm) is alive but unreachable.
// Liveness is never judged by PID (a PID may have been reused); but before anything is removed we
// look whether the process under the recorded PID is, by its command line, the holder of exactly
// this session (`… --holder <session_id>`), so that its session is not thrown away while it runs.
// Linux only (/proc); elsewhere this says "not known to run" and nothing changes.
import { existsSync, readFileSync } from "node:fs";
import type { Metadata } from "../store/metadata.ts";
import { sleep } from "./transport.ts";

export function isHolderProcessRunning(meta: Metadata): boolean {
  let argv: string[];
  try {
    argv = readFileSync(`/proc/${meta.holder_pid}/cmdline`, "utf8").split("\0");
  } catch {
    return false;
  }
  const at = argv.indexOf("--holder");
  return at !== -1 && argv[at + 1] === meta.session_id;
}

/** True when this session's holder exists but is stopped (SIGSTOP, or stopped by a tracer). */
export function isHolderStopped(meta: Metadata): boolean {
  if (!isHolderProcessRunning(meta)) return false;
  try {
    const stat = readFileSync(`/proc/${meta.holder_pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state === "T" || state === "t";
  } catch {
    return false;
  }
}

/** Asks a running holder to re-create its socket (SIGUSR1) and waits for the file to appear. */
export async function recreateSocket(meta: Metadata, socket: string, timeoutMs = 2_000): Promise<boolean> {
  if (!isHolderProcessRunning(meta)) return false;
  try {
    process.kill(meta.holder_pid, "SIGUSR1");
  } catch {
    return false;
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(socket)) return true;
    await sleep(10);
  }
  return false;
}

/** Resumes a holder that was stopped (SIGSTOP, Ctrl-Z of whoever ran it): a stopped process
 *  cannot answer, end its program or store its final state. Only after checking it is ours. */
export function resumeHolder(meta: Metadata): boolean {
  if (!isHolderProcessRunning(meta)) return false;
  try {
    process.kill(meta.holder_pid, "SIGCONT");
    return true;
  } catch {
    return false;
  }
}

/**
 * Ends a holder that does not answer: SIGTERM (it hangs up its program's process group and stores
 * the final state), then SIGKILL after the grace period (its program then gets SIGHUP from the
 * kernel as the terminal closes). Each signal goes only to the process that is, by its command
 * line, this session's holder, so a reused PID is never signalled.
 */
export async function killHolder(meta: Metadata, graceMs: number): Promise<void> {
  const signalIfOurs = (signal: NodeJS.Signals): boolean => {
    if (!isHolderProcessRunning(meta)) return false;
    try {
      process.kill(meta.holder_pid, signal);
      return true;
    } catch {
      return false;
    }
  };
  if (!signalIfOurs("SIGTERM")) return;
  signalIfOurs("SIGCONT");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isHolderProcessRunning(meta)) return;
    await sleep(20);
  }
  signalIfOurs("SIGKILL");
  const reaped = Date.now() + graceMs;
  while (Date.now() < reaped && isHolderProcessRunning(meta)) await sleep(20);
}
