// Whether the shell or one of its jobs owns the terminal: the kernel's foreground process group of
// the shell's terminal (tpgid in /proc/<pid>/stat) is not the shell's own group while a command it
// started in the foreground (vim, a build typed with `write`) runs. exec must not type into that.
import { readFileSync } from "node:fs";

/** True when a job other than the shell is in the foreground; null when it cannot be told (no /proc). */
export function foregroundJobRunning(shellPid: number): boolean | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${shellPid}/stat`, "utf8");
  } catch {
    return null;
  }
  return parseForegroundJob(text);
}

/** From a /proc/<pid>/stat line: fields after the command name are state ppid pgrp session tty_nr tpgid. */
export function parseForegroundJob(stat: string): boolean | null {
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const pgrp = Number(rest[2]);
  const tpgid = Number(rest[5]);
  if (!Number.isInteger(pgrp) || !Number.isInteger(tpgid) || tpgid <= 0) return null;
  return tpgid !== pgrp;
}

/**
 * True when the shell itself is on a CPU (state R): it is computing (a loop of builtins typed
 * with `write`), not waiting for a line. A shell waiting at its prompt or a continuation prompt
 * sleeps in a read (state S). null when it cannot be told.
 */
export function shellComputing(shellPid: number): boolean | null {
  try {
    return parseProcessState(readFileSync(`/proc/${shellPid}/stat`, "utf8")) === "R";
  } catch {
    return null;
  }
}

/** The state letter of a /proc/<pid>/stat line (the field after the command name). */
export function parseProcessState(stat: string): string {
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0] ?? "";
}
