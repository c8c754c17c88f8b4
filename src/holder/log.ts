// holder.log: one timestamped line per event in the session directory. Logging must never stop
// the holder: a session directory that is gone (end) or read-only just loses the line.
import { appendFileSync } from "node:fs";
import { holderLogPath } from "../paths.ts";
import type { HolderConfig } from "./config.ts";

export type Log = (line: string) => void;

export function makeLog(config: HolderConfig): Log {
  const path = holderLogPath(config.sessions_dir, config.session_id);
  return (line) => {
    try {
      appendFileSync(path, `${new Date().toISOString()} ${line}\n`, { mode: 0o600 });
    } catch {
      // See above.
    }
  };
}

/** What a log line says of an error nobody expected: its stack, so the bug can be found. */
export function describeUnexpected(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}
