// end: hang up the program's process group (or the given signal), SIGKILL what is left after the
// grace period, remove the session, and stop the holder.
import { REAP_TIMEOUT_MS } from "../../constants.ts";
import type { Request } from "../../protocol/messages.ts";
import { toDeltaError } from "../../errors.ts";
import { parseSignal } from "../../signals.ts";
import { removeSessionFiles } from "../../store/remove.ts";
import type { HandlerContext } from "../context.ts";
import type { HolderSession } from "../session.ts";

export async function handleEnd({ session, conn, config, holder }: HandlerContext, req: Extract<Request, { type: "end" }>): Promise<void> {
  // A signal we cannot send must fail the request, not fall through to SIGKILL after the grace.
  const signal = parseSignal(req.signal) as NodeJS.Signals;
  holder.ending = true;
  if (!session.exit) {
    session.signalGroup(signal);
    if (!(await exitWithin(session, req.grace_ms))) {
      session.signalGroup("SIGKILL");
      await exitWithin(session, REAP_TIMEOUT_MS);
    }
  }
  // Whatever is left in the group (jobs that ignored the hangup) goes too.
  session.signalGroup("SIGKILL");
  try {
    removeSessionFiles(config.sessions_dir, config.session_id, config.name);
    conn.send({ type: "terminated", exit_code: session.exit?.exit_code ?? null, signal: session.exit?.signal ?? null });
  } catch (err) {
    // The program is stopped either way; what is left on disk shows as crashed and `cleanup` takes it.
    const e = toDeltaError(err);
    conn.send({ type: "error", code: e.code, message: `the program was stopped, but its session files could not be removed: ${e.message}` });
  }
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
