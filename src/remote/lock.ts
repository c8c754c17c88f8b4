// A lock between processes: a directory (mkdir is atomic). One older than `staleMs` was left by a
// process that died holding it, and is taken over.
import { mkdirSync, rmSync, statSync } from "node:fs";

export async function withLockDir<T>(lock: string, staleMs: number, fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(lock, { mode: 0o700 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    try {
      if (Date.now() - statSync(lock).mtimeMs > staleMs) rmSync(lock, { recursive: true, force: true });
    } catch {
      // Released meanwhile.
    }
    await Bun.sleep(50);
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
