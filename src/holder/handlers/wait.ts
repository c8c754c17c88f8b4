// wait: until the program exits, or the timeout.
import type { Request } from "../../protocol/messages.ts";
import type { HandlerContext } from "../context.ts";

export async function handleWait({ session, conn }: HandlerContext, req: Extract<Request, { type: "wait" }>): Promise<void> {
  const timeout = req.timeout_ms ?? null;
  const info = await new Promise<{ timed_out: boolean }>((resolve) => {
    if (session.exit) return resolve({ timed_out: false });
    const timer = timeout === null ? null : setTimeout(() => finish(true), timeout);
    const offExit = session.onExit(() => finish(false));
    const offClose = conn.onClose(() => finish(false));
    function finish(timedOut: boolean) {
      if (timer) clearTimeout(timer);
      offExit();
      offClose();
      resolve({ timed_out: timedOut });
    }
  });
  conn.send({
    type: "exit",
    timed_out: info.timed_out,
    status: session.exit ? "exited" : "running",
    exit_code: session.exit?.exit_code ?? null,
    signal: session.exit?.signal ?? null,
  });
}
