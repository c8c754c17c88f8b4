// Process and socket helpers for the reliability tests: whether a process is really gone (a zombie
// nobody has reaped yet counts as gone), its memory, and a raw client that speaks to a holder's
// socket byte by byte, bypassing the product's client code.
import { readFileSync } from "node:fs";
import type { Socket } from "bun";
import { readProcStat } from "../../src/proc.ts";

/** Process state letter from /proc (R, S, Z, …), or null when there is no such process. */
export function procState(pid: number): string | null {
  return readProcStat(pid)?.state ?? null;
}

/** True when the process has exited (it may still wait as a zombie for its parent to reap it). */
export function isGone(pid: number): boolean {
  const state = procState(pid);
  return state === null || state === "Z" || state === "X";
}

/** Resident set size in KiB (VmRSS), or null when the process is gone. */
export function vmRssKb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** The environment of a process as a map (needs the same user, or root). */
export function procEnviron(pid: number): Map<string, string> {
  const env = new Map<string, string>();
  for (const entry of readFileSync(`/proc/${pid}/environ`, "utf8").split("\0")) {
    const eq = entry.indexOf("=");
    if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return env;
}

/**
 * A client on a holder's socket that records every line it receives, as parsed JSON, and knows
 * when the holder closed the connection.
 */
export class RawClient {
  readonly lines: any[] = [];
  /** Bytes received that do not end in a newline yet. */
  private partial = "";
  closed = false;
  private socket!: Socket<undefined>;
  private readonly decoder = new TextDecoder();

  static async connect(path: string): Promise<RawClient> {
    const c = new RawClient();
    c.socket = await Bun.connect<undefined>({
      unix: path,
      socket: {
        data: (_s, data) => c.receive(data),
        close: () => void (c.closed = true),
        error: () => void (c.closed = true),
      },
    });
    return c;
  }

  private receive(data: Uint8Array): void {
    const text = this.partial + this.decoder.decode(data, { stream: true });
    const parts = text.split("\n");
    this.partial = parts.pop() ?? "";
    for (const p of parts) this.lines.push(JSON.parse(p));
  }

  /** Writes everything, waiting for the socket to drain as needed. Resolves false if the holder closed it. */
  async write(data: string | Uint8Array): Promise<boolean> {
    let bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    while (bytes.length > 0) {
      if (this.closed) return false;
      const n = this.socket.write(bytes);
      if (n < 0) return false;
      bytes = bytes.subarray(n);
      if (bytes.length > 0) await Bun.sleep(1);
    }
    return true;
  }

  send(message: unknown): Promise<boolean> {
    return this.write(JSON.stringify(message) + "\n");
  }

  /** Closes at once, without finishing anything in flight. */
  destroy(): void {
    this.socket.terminate();
    this.closed = true;
  }

  end(): void {
    this.socket.end();
  }
}

/**
 * A client that connects, sends `line`, and then never reads a byte (Bun's sockets always read, so
 * this is a small python3 process). The caller kills it.
 */
export function spawnNonReader(path: string, line: string): Bun.Subprocess<"ignore", "pipe", "inherit"> {
  const script = [
    "import socket, sys, time",
    "s = socket.socket(socket.AF_UNIX)",
    "s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)",
    "s.connect(sys.argv[1])",
    "s.sendall(sys.argv[2].encode())",
    "print('sent', flush=True)",
    "time.sleep(3600)",
  ].join("\n");
  return Bun.spawn(["python3", "-c", script, path, line], { stdin: "ignore", stdout: "pipe", stderr: "inherit" });
}

/** PIDs of live processes whose argv is exactly `argv` (a unique marker in the test's commands). */
export function findProcesses(argv: string[]): number[] {
  const want = argv.join("\0");
  const found: number[] = [];
  for (const entry of require("node:fs").readdirSync("/proc") as string[]) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0$/, "");
      if (cmd === want && !isGone(Number(entry))) found.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** Leaves a Unix socket file at `path` that nothing listens on (bound, then the binder exits). */
export function makeStaleSocket(path: string): void {
  const r = Bun.spawnSync(["python3", "-c", "import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", path]);
  if (r.exitCode !== 0) throw new Error(`could not make a stale socket: ${r.stderr.toString()}`);
}

/** Runs a command, returning its exit code and output (for mount, useradd and friends). */
export function sh(argv: string[]): { code: number; out: string } {
  const r = Bun.spawnSync(argv, { stdout: "pipe", stderr: "pipe" });
  return { code: r.exitCode ?? -1, out: r.stdout.toString() + r.stderr.toString() };
}

/** Why mount-based tests cannot run here, or null when they can (root, and mount works). */
export function whyNoMount(scratch: string): string | null {
  if (process.platform !== "linux") return "mount tests need Linux";
  if (process.getuid?.() !== 0) return "mount tests need root";
  const dir = `${scratch}/mount-probe`;
  require("node:fs").mkdirSync(dir, { recursive: true });
  const m = sh(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir]);
  if (m.code !== 0) return `mount is not permitted here: ${m.out.trim()}`;
  sh(["umount", dir]);
  return null;
}
