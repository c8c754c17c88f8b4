import type { HandlerContext } from "../context.ts";

export async function handleInfo({ session, conn, config }: HandlerContext): Promise<void> {
  conn.send({
    type: "info",
    session_id: config.session_id,
    name: config.name,
    pid: session.pid,
    holder_pid: process.pid,
    command: config.command,
    cwd: config.cwd,
    cols: session.cols,
    rows: session.rows,
    created_at: session.createdAt.toISOString(),
    last_accessed_at: session.lastAccessedAt.toISOString(),
    output_bytes: session.ring.end,
    unread_bytes: session.ring.end - Math.max(session.cursor, session.ring.start),
    status: session.exit ? "exited" : "running",
    exit_code: session.exit?.exit_code ?? null,
    signal: session.exit?.signal ?? null,
  });
}
