// Looking at other processes, in one place for the product, the tests and the benchmarks: whether
// one exists, and /proc/<pid>/stat (Linux; the terminal's foreground group, a process's group and
// session, its state and CPU time). The command name in a stat line is in parentheses and may hold
// spaces and parentheses itself, so the fields are counted from the last ')'. See proc(5).
import { readFileSync } from "node:fs";

export interface ProcStat {
  /** R, S, D, Z, X, … */
  state: string;
  ppid: number;
  pgrp: number;
  session: number;
  /** The foreground process group of the process's terminal (-1: none). */
  tpgid: number;
  /** CPU time in clock ticks (USER_HZ). */
  utime: number;
  stime: number;
}

/** The fields of one stat line, or null when it is not one. */
export function parseProcStat(text: string): ProcStat | null {
  const close = text.lastIndexOf(")");
  if (close === -1) return null;
  // Fields 3, 4, … of proc(5): state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime.
  const f = text.slice(close + 2).split(" ");
  const stat: ProcStat = {
    state: f[0] ?? "",
    ppid: Number(f[1]),
    pgrp: Number(f[2]),
    session: Number(f[3]),
    tpgid: Number(f[5]),
    utime: Number(f[11]),
    stime: Number(f[12]),
  };
  const numbers = [stat.ppid, stat.pgrp, stat.session, stat.tpgid, stat.utime, stat.stime];
  return /^[A-Za-z]$/.test(stat.state) && numbers.every(Number.isInteger) ? stat : null;
}

/** The stat of a process, or null when there is no such process (or no /proc). */
export function readProcStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  return parseProcStat(text);
}

/** True while a process with this PID exists (a zombie too), ours or another user's. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
