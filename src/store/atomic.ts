// Atomic small-file writes: write a temp file beside the target, fsync, rename over it. A reader
// never sees half a file, and a full or read-only file system leaves the old file untouched.
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";

export interface AtomicWriteOptions {
  /**
   * fsync before the rename (default). Without it the rename is still atomic for every reader;
   * only a machine crash could lose the content, so a caller that skips it calls syncFile later.
   */
  fsync?: boolean;
}

export function writeFileAtomic(path: string, content: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(16).slice(2, 10)}`;
  let fd = -1;
  try {
    fd = openSync(tmp, "wx", 0o600);
    const data = typeof content === "string" ? Buffer.from(content) : content;
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    if (options.fsync !== false) fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== -1) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // The temp file may never have been created.
    }
    throw err;
  }
}

/** Flushes a file written without fsync to disk. Best effort: it may have been removed meanwhile. */
export function syncFile(path: string): void {
  let fd = -1;
  try {
    fd = openSync(path, "r");
    fsyncSync(fd);
  } catch {
    // Gone (the session ended) or not ours to flush: nothing to make durable.
  } finally {
    if (fd !== -1) closeSync(fd);
  }
}
