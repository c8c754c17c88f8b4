// Whether a descriptor is a terminal, without loading node:tty (and the stream machinery behind
// it: more than the rest of a `status` call) when it plainly is not one: only a character device
// can be a terminal, and agents' stdout is a pipe or a file.
import { fstatSync } from "node:fs";

export async function isTerminal(fd: number): Promise<boolean> {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  const { isatty } = await import("node:tty");
  return isatty(fd);
}
