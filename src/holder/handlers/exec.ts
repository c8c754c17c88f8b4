// exec: run a command in the session's shell and stream its output, then its exit status. The
// output goes out at the pace the client reads, from the ring buffer (OutputStream, the same
// policy as read): a client that stops reading costs the holder at most OUTPUT_HIGH_WATER_BYTES
// of queued replies, and what it let the ring drop is counted in `exec-end` (dropped_bytes).
import { DeltaError, ErrorCode } from "../../errors.ts";
import { base64ToBytes } from "../../protocol/codec.ts";
import type { ExecRequest, ReplyOf } from "../../protocol/messages.ts";
import type { HandlerContext } from "../context.ts";
import { execControllerFor } from "../exec/controller.ts";
import { checkShell } from "../exec/shell.ts";
import { OutputStream } from "../output-stream.ts";

type ExecOutcome = Omit<ReplyOf<"exec-end">, "type" | "dropped_bytes">;

export async function handleExec({ session, conn, config }: HandlerContext, req: ExecRequest): Promise<void> {
  // Checked before anything is typed: a program that is not a shell never sees exec's input.
  const shell = checkShell(config.command);
  if (!shell.ok) throw new DeltaError(ErrorCode.EXEC_UNSUPPORTED, shell.reason);
  if (!config.shell_integration) {
    throw new DeltaError(ErrorCode.EXEC_UNSUPPORTED, "this session was started with --no-shell-integration, which exec needs; use write and read");
  }
  if (session.exit) throw new DeltaError(ErrorCode.SESSION_EXITED, "the session's program has exited");
  let stream: OutputStream | null = null;
  /** Offset just after the command's latest output: the stream never goes past it (the prompt follows). */
  let limit = 0;
  /** The client's queue is full: the stream goes on once it has room (from the ring, up to `limit`). */
  let waitingForRoom = false;
  const pump = (): void => {
    if (waitingForRoom || stream!.pump(limit) !== "full") return;
    waitingForRoom = true;
    void conn.waitForRoom().then(() => {
      waitingForRoom = false;
      pump();
    });
  };
  let ended!: () => void;
  // Resolved by the end report, or by the client going away (then no report is due).
  const sentEnd = new Promise<void>((resolve) => (ended = resolve));
  const offClose = conn.onClose(() => ended());
  const finish = async (outcome: ExecOutcome): Promise<void> => {
    // Everything the command printed goes out before its end report.
    if (stream) await stream.drainTo(limit);
    conn.send({ type: "exec-end", ...outcome, ...(stream && stream.dropped > 0 ? { dropped_bytes: stream.dropped } : {}) });
    ended();
  };
  await execControllerFor(session, config, shell.dialect).run({
    command: base64ToBytes(req.data),
    timeoutMs: req.timeout_ms ?? null,
    killOnTimeout: req.kill_on_timeout === true,
    output: (bytes, offset) => {
      stream ??= new OutputStream(conn, session, offset);
      limit = offset + bytes.length;
      pump();
    },
    onClose: (fn) => conn.onClose(fn),
    reply: (outcome) => void finish(outcome),
  });
  await sentEnd;
  offClose();
}
