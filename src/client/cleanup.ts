// cleanup: remove exited and crashed sessions of this sessions directory, and sockets in the
// runtime directory that nothing listens on (whatever sessions directory they belonged to).
import { existsSync, readdirSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { checkRuntimeDir, resolveRuntimeDir } from "../paths.ts";
import { removeSessionFiles } from "../store/remove.ts";
import { listSessionIds, probeSession } from "./session.ts";

export async function cleanupSessions(sessionsDir: string): Promise<{ cleaned: string[]; remaining: string[] }> {
  const cleaned: string[] = [];
  const remaining: string[] = [];
  for (const meta of listSessionIds(sessionsDir)) {
    const target = await probeSession(sessionsDir, meta);
    if (target.kind === "live") {
      target.conn.close();
      remaining.push(target.id);
      continue;
    }
    removeSessionFiles(sessionsDir, target.id, meta.name);
    cleaned.push(target.id);
  }
  await removeStaleSockets();
  return { cleaned, remaining };
}

async function removeStaleSockets(): Promise<void> {
  const dir = resolveRuntimeDir();
  if (!existsSync(dir)) return;
  checkRuntimeDir(dir);
  for (const entry of readdirSync(dir)) {
    if (!/^sess_[0-9a-f]{12}\.sock$/.test(entry)) continue;
    const path = join(dir, entry);
    if (!(await isListening(path))) {
      try {
        unlinkSync(path);
      } catch {
        // Removed meanwhile.
      }
    }
  }
}

/** True when something accepts connections on the socket (a holder, alive). */
function isListening(path: string): Promise<boolean> {
  return Bun.connect({ unix: path, socket: { data() {}, open(s) { s.end(); } } }).then(
    () => true,
    () => false,
  );
}
