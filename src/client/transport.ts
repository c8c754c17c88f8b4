// What the client needs from its runtime, in Bun (the binary) and in Node (the library): a Unix
// socket, a detached child with a readiness pipe, a PATH lookup, a pause. Under Bun the native APIs
// are used (its socket is what every CLI call and the MCP server always used); under Node, the
// node: modules. Nothing else in client/ touches `Bun`, so the library runs in both.
import { accessSync, constants as fsConstants, statSync } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";

/** True in Bun (the compiled binary, `bun` scripts); false in Node. */
export const IN_BUN = "Bun" in globalThis;

/** The one socket shape the connection code needs. */
export interface UnixSocket {
  /** Bytes the kernel took (0 when it takes none now; `drain` then says when it has room). */
  write(bytes: Uint8Array): number;
  end(): void;
  /** Whether this socket keeps the process alive while it is open. */
  ref(): void;
  unref(): void;
}

export interface SocketEvents {
  data(bytes: Uint8Array): void;
  drain(): void;
  close(): void;
}

export async function connectUnix(path: string, on: SocketEvents): Promise<UnixSocket> {
  if (IN_BUN) {
    return Bun.connect<undefined>({
      unix: path,
      socket: { data: (_s, data) => on.data(data), drain: () => on.drain(), close: () => on.close(), error: () => on.close() },
    });
  }
  const { createConnection } = await import("node:net");
  return new Promise((resolvePromise, reject) => {
    const s = createConnection({ path });
    const fail = (err: Error) => reject(err);
    s.once("error", fail);
    s.once("connect", () => {
      s.off("error", fail);
      s.on("error", () => on.close());
      s.on("close", () => on.close());
      s.on("data", (b: Buffer) => on.data(new Uint8Array(b.buffer, b.byteOffset, b.byteLength)));
      // Node buffers what the kernel does not take at once: every write counts as taken, and the
      // holder's acks (client/input.ts) bound how much can be waiting.
      resolvePromise({ write: (bytes) => (s.write(bytes), bytes.length), end: () => s.end(), ref: () => s.ref(), unref: () => s.unref() });
    });
  });
}

/** True when something accepts connections on the socket. */
export async function isListening(path: string): Promise<boolean> {
  try {
    const s = await connectUnix(path, { data() {}, drain() {}, close() {} });
    s.end();
    return true;
  } catch {
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The full path of an executable found on `pathVar` (relative entries against `cwd`), or null. */
export function which(cmd: string, pathVar: string, cwd: string): string | null {
  if (IN_BUN) return Bun.which(cmd, { PATH: pathVar, cwd });
  for (const dir of pathVar.split(delimiter)) {
    const full = join(isAbsolute(dir) ? dir : resolve(cwd, dir || "."), cmd);
    try {
      accessSync(full, fsConstants.X_OK);
      if (statSync(full).isFile()) return full;
    } catch {
      // Not here.
    }
  }
  return null;
}

export interface DetachedChild {
  pid: number;
  /** Everything the child writes on its fd 3, until it closes it (or exits). */
  readFd3: Promise<string>;
  /** Stop caring about the child: it no longer keeps this process alive. */
  release(): void;
}

/** A child in its own session, stdio on /dev/null, one pipe on fd 3. */
export async function spawnDetached(argv: string[], env: Record<string, string>): Promise<DetachedChild> {
  if (IN_BUN) {
    const proc = Bun.spawn(argv, { cwd: "/", env, stdio: ["ignore", "ignore", "ignore", "pipe"], detached: true });
    const fd = proc.stdio[3] as unknown as number;
    return { pid: proc.pid, readFd3: Bun.file(fd).text(), release: () => proc.unref() };
  }
  const { spawn } = await import("node:child_process");
  const child = spawn(argv[0]!, argv.slice(1), { cwd: "/", env, stdio: ["ignore", "ignore", "ignore", "pipe"], detached: true });
  const pipe = child.stdio[3] as NodeJS.ReadableStream & { destroy(): void; unref?: () => void };
  const readFd3 = new Promise<string>((done) => {
    const parts: Buffer[] = [];
    pipe.on("data", (b: Buffer) => parts.push(b));
    pipe.on("end", () => done(Buffer.concat(parts).toString("utf8")));
    pipe.on("error", () => done(Buffer.concat(parts).toString("utf8")));
    child.on("error", () => done(""));
  });
  return {
    pid: child.pid ?? 0,
    readFd3,
    release: () => {
      pipe.destroy();
      child.unref();
    },
  };
}
