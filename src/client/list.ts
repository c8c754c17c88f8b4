// list: one entry per session of the sessions directory, whatever its state. Read-only.
import { describeSession } from "./describe.ts";
import { listSessionIds, probeSession } from "./session.ts";

export interface ListEntry {
  session_id: string;
  name: string | null;
  command: string[];
  status: "running" | "exited" | "crashed" | "unresponsive";
  pid: number;
  holder_pid: number;
  cwd: string;
  created_at: string;
  last_accessed_at: string;
  exit_code: number | null;
  signal: string | null;
}

export async function listSessions(sessionsDir: string): Promise<ListEntry[]> {
  return Promise.all(
    listSessionIds(sessionsDir).map(async (meta) => {
      const target = await probeSession(sessionsDir, meta);
      try {
        const d = await describeSession(target);
        return {
          session_id: d.session_id,
          name: d.name,
          command: d.command,
          status: d.status,
          pid: d.pid,
          holder_pid: d.holder_pid,
          cwd: d.cwd,
          created_at: d.created_at,
          last_accessed_at: d.last_accessed_at,
          exit_code: d.exit_code,
          signal: d.signal,
        };
      } finally {
        if (target.kind === "live") target.conn.close();
      }
    }),
  );
}
