// `start --record FILE`: the file is created here, before the holder starts, so that a path that
// cannot be written is reported by `start` itself, and an existing file is never overwritten.
import { closeSync, constants as fsConstants, openSync, unlinkSync } from "node:fs";
import { DeltaError, ErrorCode } from "../errors.ts";

/** Creates the recording file (0600, exclusively). */
export function createRecordingFile(path: string): void {
  try {
    closeSync(openSync(path, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_NOFOLLOW, 0o600));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why =
      e.code === "EEXIST"
        ? "it already exists (remove it or choose another name)"
        : e.code === "ENOENT"
          ? "its directory does not exist"
          : e.message;
    throw new DeltaError(ErrorCode.IO_ERROR, `cannot record to ${path}: ${why}`);
  }
}

/** Removes a recording file `start` created when the session could not be started after all. */
export function removeRecordingFile(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}
