// Looking inside a running compiled process through Bun's own inspector (the BUN_INSPECT
// variable of the Bun runtime, not anything of delta-sessions): which modules a process evaluated
// is told by the marks they leave on globalThis. The inspector listens on a port the kernel picks
// (port 0); it is found among the process's listening sockets in /proc.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** A BUN_INSPECT value: any free port, a path nobody guesses; `wait` holds the program until a debugger says go. */
export function inspectUrl(wait: boolean): string {
  return `ws://127.0.0.1:0/${crypto.randomUUID()}${wait ? "?wait=1" : ""}`;
}

/** The TCP port `pid` listens on (its inspector), or null while it listens on none. */
export function listeningPort(pid: number): number | null {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = readlinkSync(`/proc/${pid}/fd/${fd}`).match(/^socket:\[(\d+)\]$/);
        if (m) inodes.add(m[1]!);
      } catch {
        // Closed meanwhile.
      }
    }
  } catch {
    return null;
  }
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is HEXIP:HEXPORT, st 0A is LISTEN, field 9 the inode.
      if (f[3] === "0A" && inodes.has(f[9]!)) return parseInt(f[1]!.split(":")[1]!, 16);
    }
  }
  return null;
}

export class Inspector {
  private next = 0;
  private readonly pending = new Map<number, (reply: any) => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.onmessage = (m) => {
      const reply = JSON.parse(String(m.data));
      const done = reply.id === undefined ? undefined : this.pending.get(reply.id);
      if (done) {
        this.pending.delete(reply.id);
        done(reply);
      }
    };
  }

  /** Connects to the inspector of `pid` at `url`'s path, once the process listens. */
  static async connect(pid: number, url: string, timeoutMs = 10_000): Promise<Inspector> {
    const path = new URL(url).pathname;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const port = listeningPort(pid);
      if (port !== null) {
        const ws = await new Promise<WebSocket | null>((resolve) => {
          const w = new WebSocket(`ws://127.0.0.1:${port}${path}`);
          w.onopen = () => resolve(w);
          w.onerror = () => resolve(null);
        });
        if (ws) return new Inspector(ws);
      }
      if (Date.now() > deadline) throw new Error(`no inspector in process ${pid}`);
      await Bun.sleep(20);
    }
  }

  call(method: string, params: Record<string, unknown> = {}): Promise<any> {
    const id = ++this.next;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** The value of a JavaScript expression evaluated in the process's global scope. */
  async evaluate(expression: string): Promise<unknown> {
    const r = await this.call("Runtime.evaluate", { expression, returnByValue: true });
    if (r.error || r.result?.wasThrown) throw new Error(`evaluate failed: ${JSON.stringify(r)}`);
    return r.result.result.value;
  }

  close(): void {
    this.ws.close();
  }
}
