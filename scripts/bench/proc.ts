// Process helpers for the benchmark: timed runs of a command, and what /proc says about a process
// (CPU time, memory).
import { readdirSync, readFileSync } from "node:fs";
import { isAlive, readProcStat } from "../../src/proc.ts";

export { isAlive };

export interface Timed {
  ms: number;
  code: number;
  stdout: string;
  stderr: string;
  /** Peak resident memory of the process, kB (0 when unknown). */
  maxRssKb: number;
}

export interface RunOptions {
  env?: Record<string, string>;
  stdin?: Uint8Array;
  cwd?: string;
  /** Send stdout to /dev/null (large outputs the benchmark does not look at). */
  discardStdout?: boolean;
}

/** No single command of the benchmark takes this long unless it hangs; then it is killed. */
const COMMAND_TIMEOUT_MS = 120_000;

/** Runs a command to completion and times it from spawn to exit (what a caller waits for). */
export function runTimed(argv: string[], opts: RunOptions = {}): Timed {
  const t0 = performance.now();
  const proc = Bun.spawnSync(argv, {
    env: opts.env,
    cwd: opts.cwd,
    stdin: opts.stdin ?? "ignore",
    stdout: opts.discardStdout ? "ignore" : "pipe",
    stderr: "pipe",
    timeout: COMMAND_TIMEOUT_MS,
    killSignal: "SIGKILL",
  });
  const ms = performance.now() - t0;
  if (ms >= COMMAND_TIMEOUT_MS) throw new Error(`${argv.join(" ").slice(0, 200)} hung: killed after ${COMMAND_TIMEOUT_MS / 1000} s`);
  return {
    ms,
    code: proc.exitCode ?? -1,
    stdout: proc.stdout?.toString() ?? "",
    stderr: proc.stderr.toString(),
    maxRssKb: Math.round((proc.resourceUsage?.maxRSS ?? 0) / 1024),
  };
}

/** Like runTimed, but fails loudly when the command does not exit 0. */
export function runOk(argv: string[], opts: RunOptions = {}): Timed {
  const r = runTimed(argv, opts);
  if (r.code !== 0) throw new Error(`${argv.join(" ")} exited ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
  return r;
}

/** Runs several commands at once and resolves when all have exited (for concurrency checks). */
export async function runConcurrently(commands: Array<{ argv: string[]; opts?: RunOptions }>): Promise<Timed[]> {
  return Promise.all(
    commands.map(async ({ argv, opts = {} }) => {
      const t0 = performance.now();
      const proc = Bun.spawn(argv, {
        env: opts.env,
        cwd: opts.cwd,
        stdin: opts.stdin ? new Blob([opts.stdin]) : "ignore",
        stdout: "pipe",
        stderr: "pipe",
        timeout: COMMAND_TIMEOUT_MS,
        killSignal: "SIGKILL",
      });
      const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
      return { ms: performance.now() - t0, code, stdout, stderr, maxRssKb: Math.round((proc.resourceUsage()?.maxRSS ?? 0) / 1024) };
    }),
  );
}

/** Clock ticks per second for /proc/<pid>/stat times (USER_HZ; 100 on every Linux we know). */
const CLOCK_TICKS = Number(Bun.spawnSync(["getconf", "CLK_TCK"]).stdout.toString().trim()) || 100;

/** User + system CPU time of a process (all its threads), in milliseconds; null once it is gone. */
export function cpuMs(pid: number): number | null {
  const stat = readProcStat(pid);
  return stat ? ((stat.utime + stat.stime) * 1000) / CLOCK_TICKS : null;
}

/** CPU time on the processor in nanoseconds, summed over the process's threads (schedstat). */
export function cpuNs(pid: number): number | null {
  let total = 0;
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  for (const t of tasks) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return total;
}

export interface Memory {
  /** Resident set size, kB. */
  rss: number;
  /** Proportional set size (shared pages divided among their sharers), kB. */
  pss: number;
  /** Private anonymous memory (heap), kB. */
  anon: number;
}

/** RSS, PSS and anonymous memory from /proc/<pid>/smaps_rollup; null once it is gone. */
export function memory(pid: number): Memory | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  } catch {
    return null;
  }
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? NaN);
  return { rss: field("Rss"), pss: field("Pss"), anon: field("Anonymous") };
}


/** Waits for a condition, polling, up to a deadline; returns whether it came true. */
export async function waitUntil(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (cond()) return true;
    await Bun.sleep(10);
  }
  return cond();
}

/** CPU time on the processor of each of the process's threads, ns by thread id (schedstat); null
 *  once the process is gone. A thread that exits takes its figure with it, so compare thread by
 *  thread (a process-wide sum of the live threads can go down). */
export function threadCpuNs(pid: number): Map<number, number> | null {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  const out = new Map<number, number>();
  for (const t of tasks) {
    try {
      out.set(Number(t), Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, "utf8").split(" ")[0]));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}
