// Removing a session's files: its directory, its name link (only if it still points at it), and
// its socket.
import { readlinkSync, rmSync, unlinkSync } from "node:fs";
import { nameLinkPath, sessionDir } from "../paths.ts";

export function removeSessionFiles(sessionsDir: string, id: string, name: string | null, socket?: string): void {
  if (name) releaseName(sessionsDir, name, id);
  rmSync(sessionDir(sessionsDir, id), { recursive: true, force: true });
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
