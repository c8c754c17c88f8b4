// Looking at other processes, in one place for the product, the tests and the benchmarks: whether
// one exists, and /proc/<pid>/stat (Linux; the terminal's foreground group, a process's group and
// session, its state and CPU time). The command name in a stat line is in parentheses and may hold
// spaces and parentheses itself, so the fields are counted from the last ')'. See proc(5).
import { readFileSync } from "node:fs";

export interface ProcStat {
  pid: number;
  /** Command name as the kernel keeps it (at most 15 bytes; may hold spaces and parentheses). */
  comm: string;
  /** One letter: R running, S sleeping, D disk sleep, T stopped, t traced, Z zombie, X dead, I idle… */
  state: string;
  ppid: number;
  pgrp: number;
  session: number;
  /** Controlling terminal's device number (st_rdev encoding); 0 when the process has none. */
  ttyNr: number;
  /** The foreground process group of the process's terminal (-1: none). */
  tpgid: number;
  /** CPU time in clock ticks (USER_HZ). */
  utime: number;
  stime: number;
  /** Threads in the process (field 20). */
  numThreads: number;
}

/** The fields of one stat line (of a process or a thread), or null when it is not one. */
export function parseProcStat(text: string): ProcStat | null {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return null;
  // Fields 3, 4, … of proc(5): state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt
  // cmajflt utime stime cutime cstime priority nice num_threads; field N is f[N - 3].
  const f = text.slice(close + 2).trim().split(" ");
  if (f.length < 18) return null;
  const stat: ProcStat = {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    state: f[0] ?? "",
    ppid: Number(f[1]),
    pgrp: Number(f[2]),
    session: Number(f[3]),
    ttyNr: Number(f[4]),
    tpgid: Number(f[5]),
    utime: Number(f[11]),
    stime: Number(f[12]),
    numThreads: Number(f[17]),
  };
  const numbers = [stat.pid, stat.ppid, stat.pgrp, stat.session, stat.ttyNr, stat.tpgid, stat.utime, stat.stime, stat.numThreads];
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
