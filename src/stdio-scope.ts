// Where a CLI command's stdio goes. Normally the process's own descriptors; inside the remote
// server (remote/server.ts) each request runs the CLI in-process, and its output, its stdin and
// whether its stdout is a terminal belong to the caller on the other machine. The storage is set
// only by the server, so an ordinary call loads nothing for it.
import type { AsyncLocalStorage } from "node:async_hooks";

export interface StdioScope {
  write(fd: 1 | 2, bytes: Uint8Array): Promise<void>;
  readStdin(): Promise<Uint8Array>;
  isTerminal(fd: number): boolean;
}

let storage: AsyncLocalStorage<StdioScope> | undefined;

/** Called once by the remote server before it runs any request. */
export function installStdioStorage(s: AsyncLocalStorage<StdioScope>): void {
  storage = s;
}

/** The scope of the request this code runs for, or undefined for the process's own stdio. */
export function currentStdio(): StdioScope | undefined {
  return storage?.getStore();
}
