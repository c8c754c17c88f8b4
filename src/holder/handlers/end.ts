// end: hang up the program's process group (or the given signal), SIGKILL what is left after the
// grace period, remove the session, and stop the holder.
import { REAP_TIMEOUT_MS } from "../../constants.ts";
import type { Request } from "../../protocol/messages.ts";
import { removeSessionFiles } from "../../store/remove.ts";
import type { HandlerContext } from "../context.ts";
import type { HolderSession } from "../session.ts";

export async function handleEnd({ session, conn, config, holder }: HandlerContext, req: Extract<Request, { type: "end" }>): Promise<void> {
  holder.ending = true;
  if (!session.exit) {
    session.signalGroup(req.signal as NodeJS.Signals);
    if (!(await exitWithin(session, req.grace_ms))) {
      session.signalGroup("SIGKILL");
      await exitWithin(session, REAP_TIMEOUT_MS);
    }
  }
  // Whatever is left in the group (jobs that ignored the hangup) goes too.
  session.signalGroup("SIGKILL");
  removeSessionFiles(config.sessions_dir, config.session_id, config.name);
  conn.send({ type: "terminated", exit_code: session.exit?.exit_code ?? null, signal: session.exit?.signal ?? null });
  holder.shutdown();
}

function exitWithin(session: HolderSession, ms: number): Promise<boolean> {
  if (session.exit) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      off();
      resolve(false);
    }, ms);
    const off = session.onExit(() => {
      clearTimeout(timer);
      off();
      resolve(true);
    });
  });
}
