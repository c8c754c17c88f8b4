// Whether a descriptor is a terminal, without loading node:tty (and the stream machinery behind
// it: more than the rest of a `status` call) when it plainly is not one: only a character device
// can be a terminal, and agents' stdout is a pipe, a file or /dev/null.
import { fstatSync, statSync } from "node:fs";
import { currentStdio } from "../stdio-scope.ts";

export async function isTerminal(fd: number): Promise<boolean> {
  const scope = currentStdio();
  if (scope) return scope.isTerminal(fd);
  try {
    const st = fstatSync(fd);
    if (!st.isCharacterDevice() || st.rdev === statSync("/dev/null").rdev) return false;
  } catch {
    return false;
  }
  const { isatty } = await import("node:tty");
  return isatty(fd);
}
