// The remote server (`delta-sessions --remote-serve SOCKET`): one long-lived process per user on
// the remote machine, reached through the ssh connection's socket forwarding. It runs each request
// as a CLI call in-process, its stdio carried over the socket, so a call costs no new ssh session
// (sshd would start the login shell, rc files and all, for each). It stops after a while unused.
import { AsyncLocalStorage } from "node:async_hooks";
import { rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { REMOTE_SERVER_IDLE_MS } from "../constants.ts";
import { base64ToBytes, bytesToBase64, LineDecoder } from "../protocol/codec.ts";
import { installStdioStorage, type StdioScope } from "../stdio-scope.ts";
import { parseMessage, type ClientMessage, type ServerMessage } from "./wire.ts";

/** The server's PID file next to its socket (what `ps` cannot tell: which process serves it). */
export function pidFileOf(socketPath: string): string {
  return socketPath.replace(/\.sock$/, ".pid");
}

/** Serves until idle for REMOTE_SERVER_IDLE_MS; `ready` is told once the socket is bound. */
export async function serveRemote(socketPath: string, version: string, ready: (error?: string) => void): Promise<number> {
  const storage = new AsyncLocalStorage<StdioScope>();
  installStdioStorage(storage);
  const { runCli } = await import("../cli/run.ts");
  let active = 0;
  let idle: ReturnType<typeof setTimeout> | undefined;
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const armIdle = () => {
    clearTimeout(idle);
    if (active === 0) idle = setTimeout(stop, REMOTE_SERVER_IDLE_MS);
  };

  const server = createServer((socket) => {
    active++;
    clearTimeout(idle);
    void serveConnection(socket, version, storage, (argv) => runCli(argv, version, true)).finally(() => {
      active--;
      armIdle();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => resolve());
  }).catch((err: Error) => {
    ready(err.message);
    throw err;
  });
  const ino = statSync(socketPath).ino;
  writeFileSync(pidFileOf(socketPath), `${process.pid}\n`, { mode: 0o600 });
  ready();
  armIdle();
  await stopped;
  server.close();
  // Remove the socket only if it is still ours (a newer server may have taken the name).
  try {
    if (statSync(socketPath).ino === ino) {
      rmSync(socketPath, { force: true });
      rmSync(pidFileOf(socketPath), { force: true });
    }
  } catch {
    // Already gone.
  }
  return 0;
}

async function serveConnection(socket: Socket, version: string, storage: AsyncLocalStorage<StdioScope>, run: (argv: string[]) => Promise<number>): Promise<void> {
  const decoder = new LineDecoder();
  let closed = false;
  const lines: string[] = [];
  let wake: (() => void) | null = null;
  socket.on("data", (chunk: Buffer) => {
    for (const e of decoder.push(chunk)) if (e.kind === "line") lines.push(e.text);
    wake?.();
  });
  socket.on("close", () => {
    closed = true;
    wake?.();
  });
  socket.on("error", () => {});
  const nextLine = async (): Promise<string | null> => {
    while (lines.length === 0 && !closed) await new Promise<void>((r) => (wake = r));
    wake = null;
    return lines.shift() ?? null;
  };
  const send = (msg: ServerMessage): Promise<void> =>
    new Promise((resolve, reject) => {
      if (closed) return reject(new Error("the caller went away"));
      socket.write(JSON.stringify(msg) + "\n", (err) => (err ? reject(err) : resolve()));
    });

  await send({ type: "hello", version }).catch(() => {});
  const line = await nextLine();
  const request = line === null ? null : parseMessage<ClientMessage>(line, ["run"]);
  if (request?.type !== "run" || !Array.isArray(request.argv)) {
    socket.destroy();
    return;
  }
  if (request.version !== version) {
    await send({ type: "mismatch", version }).catch(() => {});
    socket.end();
    return;
  }
  const scope: StdioScope = {
    write: (fd, bytes) => send({ type: "out", fd, data: bytesToBase64(bytes) }),
    readStdin: async () => {
      await send({ type: "stdin" });
      const reply = await nextLine();
      const msg = reply === null ? null : parseMessage<ClientMessage>(reply, ["stdin"]);
      return msg?.type === "stdin" ? base64ToBytes(msg.data) : new Uint8Array();
    },
    isTerminal: (fd) => (fd === 1 || fd === 2) && request.terminal?.[fd - 1] === true,
  };
  let code: number;
  try {
    code = await storage.run(scope, () => run(request.argv.map(String)));
  } catch {
    // Only writing to a caller who went away fails here (the CLI prints every other error).
    code = 1;
  }
  await send({ type: "exit", code }).catch(() => {});
  socket.end();
}
