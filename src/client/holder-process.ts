// A holder whose socket file was deleted (a /tmp cleaner, a careless rm) is alive but unreachable.
// Liveness is never judged by PID (a PID may have been reused); but before anything is removed we
// look whether the process under the recorded PID is, by its command line, the holder of exactly
// this session (`… --holder <session_id>`), so that its session is not thrown away while it runs.
// Linux only (/proc); elsewhere this says "not known to run" and nothing changes.
import { existsSync, readFileSync } from "node:fs";
import type { Metadata } from "../store/metadata.ts";

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
    await Bun.sleep(10);
  }
  return false;
}
