// Whether the shell or one of its jobs owns the terminal: the kernel's foreground process group of
// the shell's terminal (tpgid in /proc/<pid>/stat) is not the shell's own group while a command it
// started in the foreground (vim, a build typed with `write`) runs. exec must not type into that.
import { readProcStat, type ProcStat } from "../../proc.ts";

/** True when a job other than the shell is in the foreground; null when it cannot be told (no /proc). */
export function foregroundJobRunning(shellPid: number): boolean | null {
  const stat = readProcStat(shellPid);
  return stat ? jobInForeground(stat) : null;
}

/** From the shell's stat: its terminal's foreground group is not the shell's own (null: no terminal). */
export function jobInForeground(stat: ProcStat): boolean | null {
  if (stat.tpgid <= 0) return null;
  return stat.tpgid !== stat.pgrp;
}

/**
 * True when the shell itself is on a CPU (state R): it is computing (a loop of builtins typed
 * with `write`), not waiting for a line. A shell waiting at its prompt or a continuation prompt
 * sleeps in a read (state S). null when it cannot be told.
 */
export function shellComputing(shellPid: number): boolean | null {
  const stat = readProcStat(shellPid);
  return stat ? stat.state === "R" : null;
}
