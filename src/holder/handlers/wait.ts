// wait: until the program exits, or (with `input`) until it waits for input; or the timeout.
import { DEFAULT_IDLE_MS } from "../../constants.ts";
import type { Request, WaitReason } from "../../protocol/messages.ts";
import type { HandlerContext } from "../context.ts";
import { trackInteraction } from "../input-wait/state.ts";

export async function handleWait({ session, conn }: HandlerContext, req: Extract<Request, { type: "wait" }>): Promise<void> {
  const timeout = req.timeout_ms ?? null;
  const reason = await new Promise<WaitReason>((resolve) => {
    if (session.exit) return resolve("exit");
    const timer = timeout === null ? null : setTimeout(() => finish("timeout"), timeout);
    const offExit = session.onExit(() => finish("exit"));
    const offClose = conn.onClose(() => finish("timeout"));
    const offInput = req.input ? trackInteraction(session).watcher.whenWaiting(() => finish("input"), req.idle_ms ?? DEFAULT_IDLE_MS) : () => {};
    function finish(why: WaitReason) {
      if (timer) clearTimeout(timer);
      offExit();
      offClose();
      offInput();
      resolve(why);
    }
  });
  conn.send({
    type: "exit",
    timed_out: reason === "timeout",
    status: session.exit ? "exited" : "running",
    exit_code: session.exit?.exit_code ?? null,
    signal: session.exit?.signal ?? null,
    ...(req.input ? { reason } : {}),
  });
}
