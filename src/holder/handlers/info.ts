import { DEFAULT_IDLE_MS } from "../../constants.ts";
import type { Request } from "../../protocol/messages.ts";
import type { HandlerContext } from "../context.ts";
import { trackInteraction } from "../input-wait/state.ts";

export async function handleInfo({ session, conn, config }: HandlerContext, req: Extract<Request, { type: "info" }>): Promise<void> {
  const look = session.exit || !req.input_wait ? null : await trackInteraction(session).watcher.look(DEFAULT_IDLE_MS);
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
    ...(look ? { waiting_for_input: look.waiting, foreground: look.view.foreground, input_wait: look.view.method } : {}),
  });
}
