// Atomic small-file writes: write a temp file beside the target, fsync, rename over it. A reader
// never sees half a file, and a full or read-only file system leaves the old file untouched.
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";

export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(16).slice(2, 10)}`;
  let fd = -1;
  try {
    fd = openSync(tmp, "wx", 0o600);
    const data = typeof content === "string" ? Buffer.from(content) : content;
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
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
