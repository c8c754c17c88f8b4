// Integration-test sandbox: runs the compiled binary as separate processes with private sessions
// and runtime directories, and ends every holder it started (by PID, never by name).
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { isAlive, readProcStat } from "../../src/proc.ts";

export { isAlive };

export const BIN = resolve(import.meta.dir, "../../dist/delta-sessions");

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  stdoutBytes: Uint8Array;
  /** stdout parsed as JSON (throws if it is not). */
  json: any;
}

export interface RunOptions {
  stdin?: string | Uint8Array;
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export class Sandbox {
  readonly dir: string;
  readonly sessionsDir: string;
  readonly runtimeDir: string;
  readonly env: Record<string, string>;
  private readonly pids = new Set<number>();

  constructor() {
    this.dir = mkdtempSync("/tmp/ds-test-");
    this.sessionsDir = join(this.dir, "sessions");
    this.runtimeDir = join(this.dir, "run");
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    delete env.XDG_RUNTIME_DIR;
    this.env = { ...env, DELTA_SESSIONS_DIR: this.sessionsDir, DELTA_SESSIONS_RUNTIME_DIR: this.runtimeDir, SHELL: "/bin/bash" };
  }

  /** Runs the binary and waits for it. */
  async run(args: string[], opts: RunOptions = {}): Promise<RunResult> {
    const proc = Bun.spawn([BIN, ...args], {
      env: mergeEnv(this.env, opts.env),
      cwd: opts.cwd ?? this.dir,
      stdin: opts.stdin === undefined ? "ignore" : new Blob([opts.stdin]),
      stdout: "pipe",
      stderr: "pipe",
    });
    const [out, err, code] = await Promise.all([new Response(proc.stdout).arrayBuffer(), new Response(proc.stderr).text(), proc.exited]);
    const stdoutBytes = new Uint8Array(out);
    const stdout = new TextDecoder().decode(stdoutBytes);
    // A start that was expected to fail but did not must still be cleaned up by dispose().
    if (code === 0 && args.includes("start")) {
      try {
        const doc = JSON.parse(stdout);
        this.track(doc.pid, doc.holder_pid);
      } catch {
        // Not a start document.
      }
    }
    const result: RunResult = {
      code,
      stdout,
      stderr: err,
      stdoutBytes,
      get json() {
        return JSON.parse(stdout);
      },
    };
    return result;
  }

  /** `start`, remembering the holder and child so `dispose` can end them whatever happens. */
  async start(args: string[], opts: RunOptions = {}): Promise<{ session_id: string; pid: number; holder_pid: number; [k: string]: any }> {
    const r = await this.run(["start", ...args], opts);
    if (r.code !== 0) throw new Error(`start failed (${r.code}): ${r.stdout} ${r.stderr}`);
    const doc = r.json;
    this.track(doc.pid, doc.holder_pid);
    return doc;
  }

  track(...pids: number[]): void {
    for (const p of pids) if (p > 0) this.pids.add(p);
  }

  /** Ends everything this sandbox started and removes its directories. */
  async dispose(): Promise<void> {
    if (existsSync(this.sessionsDir)) await this.run(["end", "--all", "--grace", "500"]).catch(() => undefined);
    for (const pid of this.pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function mergeEnv(base: Record<string, string>, extra?: Record<string, string | undefined>): Record<string, string> {
  const env = { ...base };
  for (const [k, v] of Object.entries(extra ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}


/** Waits for a condition with a deadline (never a fixed sleep for synchronisation). */
export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await Bun.sleep(20);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** /proc/<pid>/stat fields: ppid, pgrp, session. */
export function procStat(pid: number): { ppid: number; pgrp: number; sid: number } | null {
  const stat = readProcStat(pid);
  return stat ? { ppid: stat.ppid, pgrp: stat.pgrp, sid: stat.session } : null;
}
