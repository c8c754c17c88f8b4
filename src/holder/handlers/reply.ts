// reply: after a write, wait for the program's answer — until it waits for input again, exits,
// `until` matches the output without the echo of what was typed, or the timeout — and return that
// output with the echo taken out (SPEC §10, `send`; also `start --wait`, with no input).
import { DEFAULT_IDLE_MS } from "../../constants.ts";
import type { ReplyRequest, WaitReason } from "../../protocol/messages.ts";
import { UntilMatcher } from "../../text/until.ts";
import type { HandlerContext } from "../context.ts";
import { echoFreeText, EchoFreeStream } from "../input-wait/echo-text.ts";
import { trackInteraction } from "../input-wait/state.ts";
import { compilePattern } from "./read.ts";

export async function handleReply({ session, conn }: HandlerContext, req: ReplyRequest): Promise<void> {
  const { inputs, watcher } = trackInteraction(session);
  const start = Math.min(Math.max(req.since, session.ring.start), session.ring.end);
  const typed = inputs.since(start);
  const matcher = req.until ? new UntilMatcher(compilePattern(req.until)) : null;
  const stream = matcher ? new EchoFreeStream(typed, true) : null;
  const matches = (bytes: Uint8Array, offset: number) => matcher!.feedText(stream!.push(bytes, offset));

  let reason: WaitReason | null = null;
  if (matcher && matches(session.ring.slice(start), start)) reason = "match";
  else if (session.exit) reason = "exit";
  if (reason === null) {
    reason = await new Promise<WaitReason>((resolve) => {
      const deadline = req.timeout_ms === null ? null : setTimeout(() => finish("timeout"), req.timeout_ms);
      const offOutput = matcher ? session.onOutput((bytes, offset) => matches(bytes, offset) && finish("match")) : () => {};
      const offExit = session.onExit(() => finish("exit"));
      const offClose = conn.onClose(() => finish("timeout"));
      const offWait = watcher.whenWaiting(() => finish("input"), req.idle_ms ?? DEFAULT_IDLE_MS);
      function finish(why: WaitReason): boolean {
        if (deadline) clearTimeout(deadline);
        offOutput();
        offExit();
        offClose();
        offWait();
        resolve(why);
        return true;
      }
    });
  }
  const end = session.ring.end;
  if (req.advance) session.cursor = Math.max(session.cursor, end);
  const waiting = session.exit ? null : reason === "input" ? true : (await watcher.look(req.idle_ms ?? DEFAULT_IDLE_MS)).waiting;
  conn.send({
    type: "reply",
    output: echoFreeText(session.ring.slice(start, end), start, typed),
    reason,
    offset: start,
    next_offset: end,
    waiting_for_input: waiting,
    status: session.exit ? "exited" : "running",
    exit_code: session.exit?.exit_code ?? null,
    signal: session.exit?.signal ?? null,
  });
}
