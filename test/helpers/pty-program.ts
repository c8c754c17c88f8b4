// A real program in a real PTY whose parent is the test process, as the holder is the parent of a
// session's program: for testing what the holder observes of its programs through /proc. It keeps
// the output, types input, and ends the program and everything it started, by PID.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { isGone } from "./proc.ts";

export interface ProcessInfo {
  pid: number;
  ppid: number;
  comm: string;
  state: string;
}

export class PtyProgram {
  readonly home: string;
  private readonly proc: Bun.Subprocess;
  private readonly decoder = new TextDecoder();
  output = "";

  constructor(argv: string[], env: Record<string, string> = {}) {
    this.home = mkdtempSync("/tmp/ds-pty-");
    const base: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) base[k] = v;
    this.proc = Bun.spawn(argv, {
      cwd: this.home,
      env: { ...base, HOME: this.home, TERM: "xterm-256color", NODE_REPL_HISTORY: "", PYTHONSTARTUP: "", ...env },
      terminal: {
        cols: 100,
        rows: 30,
        data: (_t, data) => {
          this.output += this.decoder.decode(data, { stream: true });
        },
      },
    });
  }

  get pid(): number {
    return this.proc.pid;
  }

  write(text: string): void {
    this.proc.terminal!.write(text);
  }

  /** The program and its live descendants, parents first. */
  processes(): ProcessInfo[] {
    const out: ProcessInfo[] = [];
    const queue = [this.pid];
    while (queue.length > 0) {
      const pid = queue.shift()!;
      const info = readInfo(pid);
      if (info === null) continue;
      out.push(info);
      queue.push(...readChildren(pid));
    }
    return out;
  }

  /** Ends the program and everything it started (a shell's jobs live in other process groups). */
  dispose(): void {
    for (const p of this.processes().reverse()) {
      try {
        process.kill(p.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    try {
      this.proc.kill("SIGKILL");
    } catch {
      // Already gone.
    }
    this.proc.terminal?.close();
    rmSync(this.home, { recursive: true, force: true });
  }

  exited(): boolean {
    return isGone(this.pid);
  }
}

function readInfo(pid: number): ProcessInfo | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = text.lastIndexOf(")");
    const rest = text.slice(close + 2).split(" ");
    return { pid, comm: text.slice(text.indexOf("(") + 1, close), state: rest[0] ?? "", ppid: Number(rest[1]) };
  } catch {
    return null;
  }
}

function readChildren(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of require("node:fs").readdirSync(`/proc/${pid}/task`) as string[]) {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8");
      for (const f of text.split(/\s+/)) if (f !== "") out.push(Number(f));
    }
  } catch {
    // Gone meanwhile.
  }
  return out;
}
