// Removing a session's files: its directory, its name link (only if it still points at it), and
// its socket.
import { randomBytes } from "node:crypto";
import { readlinkSync, renameSync, rmSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { nameLinkPath, sessionDir } from "../paths.ts";

export function removeSessionFiles(sessionsDir: string, id: string, name: string | null, socket?: string): void {
  if (name) releaseName(sessionsDir, name, id);
  rmSync(withdrawSessionDir(sessionsDir, id), { recursive: true, force: true });
  if (socket) {
    try {
      unlinkSync(socket);
    } catch {
      // Already gone.
    }
  }
}

/** Drops the name link if (and only if) it still belongs to `id`. */
export function releaseName(sessionsDir: string, name: string, id: string): void {
  const link = nameLinkPath(sessionsDir, name);
  try {
    if (readlinkSync(link) === id) unlinkSync(link);
  } catch {
    // No such link.
  }
}

/**
 * Takes the session directory out of sight in one step (a rename to a name no session has), so
 * that nobody reading the sessions directory meanwhile sees it half removed: metadata without its
 * final state would look like a crash. Returns the path to delete.
 */
function withdrawSessionDir(sessionsDir: string, id: string): string {
  const dir = sessionDir(sessionsDir, id);
  const hidden = join(sessionsDir, `.removing-${id}-${randomBytes(4).toString("hex")}`);
  try {
    renameSync(dir, hidden);
    return hidden;
  } catch {
    // Gone already, or not renamable: delete it where it is.
    return dir;
  }
}
