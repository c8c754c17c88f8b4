// The two contenders, driven the way a user (or an agent) drives them: one CLI process per call.
// delta-sessions runs with private sessions and runtime directories; tmux with its own server
// socket (-L) and no configuration (-f /dev/null). Each driver ends only what it started.
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { isAlive, runOk, runTimed, type RunOptions, type Timed } from "./proc.ts";

export const COLS = 120;
export const ROWS = 30;

/** The caller's environment without anything that would make tmux or the shells behave differently. */
export function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  for (const k of ["TMUX", "TMUX_PANE", "DELTA_SESSIONS_DIR", "DELTA_SESSIONS_RUNTIME_DIR", "XDG_RUNTIME_DIR", "BUN_OPTIONS"]) delete env[k];
  env.TERM = "xterm-256color";
  return env;
}

export interface Started {
  id: string;
  pid: number;
  holderPid: number;
  ms: number;
}

export class Delta {
  readonly dir: string;
  readonly env: Record<string, string>;
  /** The copy of the binary under test that is run (holders re-execute it too). */
  readonly bin: string;
  private readonly pids = new Set<number>();

  constructor(original: string) {
    this.dir = mkdtempSync("/tmp/ds-bench-");
    // A binary the compiler has just written stays in the page cache in small pages and starts
    // measurably slower (about 1 ms here) than the same file read back from disk or copied, until
    // the kernel drops those pages. Running a copy measures every build in the same state.
    this.bin = join(this.dir, "delta-sessions");
    copyFileSync(original, this.bin);
    this.env = { ...cleanEnv(), DELTA_SESSIONS_DIR: join(this.dir, "sessions"), DELTA_SESSIONS_RUNTIME_DIR: join(this.dir, "run") };
  }

  run(args: string[], opts: RunOptions = {}): Timed {
    return runTimed([this.bin, ...args], { env: this.env, cwd: this.dir, ...opts });
  }

  ok(args: string[], opts: RunOptions = {}): Timed {
    return runOk([this.bin, ...args], { env: this.env, cwd: this.dir, ...opts });
  }

  argv(args: string[]): string[] {
    return [this.bin, ...args];
  }

  start(command: string[]): Started {
    const r = this.ok(["start", "--cols", String(COLS), "--rows", String(ROWS), "--", ...command]);
    const doc = JSON.parse(r.stdout) as { session_id: string; pid: number; holder_pid: number };
    this.track(doc.pid, doc.holder_pid);
    return { id: doc.session_id, pid: doc.pid, holderPid: doc.holder_pid, ms: r.ms };
  }

  track(...pids: number[]): void {
    for (const p of pids) this.pids.add(p);
  }

  end(id: string): void {
    this.run(["end", id, "--grace", "500"]);
  }

  endAll(): void {
    this.run(["end", "--all", "--grace", "500"]);
  }

  /** `exec` exists in this build (it is being built on another branch). */
  hasExec(): boolean {
    return this.run(["exec", "--help"]).code === 0;
  }

  version(): string {
    return this.ok(["--version"]).stdout.trim();
  }

  dispose(): void {
    this.endAll();
    for (const pid of this.pids) {
      if (!isAlive(pid)) continue;
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Gone meanwhile.
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export class Tmux {
  /** Every server this run may have started, so that all of them are killed at the end. */
  static readonly all = new Set<Tmux>();
  readonly socket: string;
  readonly env = cleanEnv();

  constructor(label: string) {
    this.socket = `ds-bench-${process.pid}-${label}`;
    Tmux.all.add(this);
  }

  argv(args: string[]): string[] {
    return ["tmux", "-L", this.socket, "-f", "/dev/null", ...args];
  }

  run(args: string[], opts: RunOptions = {}): Timed {
    return runTimed(this.argv(args), { env: this.env, ...opts });
  }

  ok(args: string[], opts: RunOptions = {}): Timed {
    return runOk(this.argv(args), { env: this.env, ...opts });
  }

  newSession(name: string, command: string[]): Timed {
    // Several arguments: tmux runs the command directly, as delta-sessions does (no sh -c).
    return this.ok(["new-session", "-d", "-s", name, "-x", String(COLS), "-y", String(ROWS), "--", ...command]);
  }

  serverPid(): number {
    return Number(this.ok(["display-message", "-p", "#{pid}"]).stdout.trim());
  }

  /** The shell command that signals a wait-for channel of this server from inside a pane. */
  signalCommand(channel: string): string {
    return `tmux -L ${this.socket} wait-for -S ${channel}`;
  }

  /** Stops the server and removes its socket file, which tmux leaves behind. */
  killServer(): void {
    this.run(["kill-server"]);
    rmSync(join(this.env.TMUX_TMPDIR ?? "/tmp", `tmux-${process.getuid?.() ?? 0}`, this.socket), { force: true });
    Tmux.all.delete(this);
  }
}

export function tmuxVersion(): string | null {
  const r = runTimed(["tmux", "-V"]);
  return r.code === 0 ? r.stdout.trim() : null;
}

/** tmux from Debian's packages when it is missing (the benchmark compares against it). */
export function ensureTmux(): string {
  const have = tmuxVersion();
  if (have) return have;
  console.error("tmux is missing; installing it with apt-get (Debian package tmux)");
  const sudo = process.getuid?.() === 0 ? [] : ["sudo"];
  const env = { ...cleanEnv(), DEBIAN_FRONTEND: "noninteractive" };
  if (runTimed([...sudo, "apt-get", "install", "-y", "tmux"], { env }).code !== 0) {
    runOk([...sudo, "apt-get", "update"], { env });
    runOk([...sudo, "apt-get", "install", "-y", "tmux"], { env });
  }
  const now = tmuxVersion();
  if (!now) throw new Error("tmux could not be installed");
  return now;
}
