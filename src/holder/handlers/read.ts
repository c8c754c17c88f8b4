// read: output from the default reader's cursor, from the oldest kept byte, or from an absolute
// offset; optionally waiting (pushed by the holder, no polling) until the output settles, a
// pattern matches, the program exits, or the timeout passes. Output is streamed from the ring
// buffer at the pace the client reads (see OutputStream), so a long wait never makes the holder
// buffer more than the ring, and a slow client only ever loses bytes it is told about.
import { DEFAULT_IDLE_MS } from "../../constants.ts";
import { DeltaError, ErrorCode } from "../../errors.ts";
import type { ReadRequest, WaitReason } from "../../protocol/messages.ts";
import { UntilMatcher } from "../../text/until.ts";
import type { HandlerContext } from "../context.ts";
import { EchoFreeStream } from "../input-wait/echo-text.ts";
import { trackInteraction } from "../input-wait/state.ts";
import { OutputStream } from "../output-stream.ts";

export async function handleRead({ session, conn }: HandlerContext, req: ReadRequest): Promise<void> {
  const matcher = req.until ? new UntilMatcher(compilePattern(req.until)) : null;
  const requested = req.from === "cursor" ? session.cursor : req.from === "all" ? session.ring.start : (req.since ?? 0);
  const start = Math.min(Math.max(requested, session.ring.start), session.ring.end);
  const interaction = trackInteraction(session);
  // `--until` is matched against the output without the echo of input typed since the read's
  // start: the echoed command line never ends a read (SPEC §10).
  const echoFree = matcher ? new EchoFreeStream(interaction.inputs.since(start), true) : null;
  // Bytes the reader asked for that the ring no longer holds.
  const droppedBefore = Math.max(0, session.ring.start - requested);
  const advancesCursor = req.from !== "since" && req.peek !== true;
  const waits = req.timeout_ms !== undefined || req.follow === true || req.until_input === true;

  let matched = false;
  // Before waiting, everything already there is sent even past a match (as one read would);
  // while waiting, a match ends the read after the chunk that completed it.
  let waiting = false;
  const stream = new OutputStream(conn, session, start, (bytes) => {
    if (matcher && !matched && matcher.feedText(echoFree!.push(bytes, stream.sent - bytes.length))) matched = true;
    if (advancesCursor && req.follow) session.cursor = Math.max(session.cursor, stream.sent);
    return matched && waiting;
  });

  await stream.drainTo(session.ring.end);
  let timedOut = false;
  let reason: WaitReason | undefined = waits ? (matched ? "match" : "exit") : undefined;

  if (waits && !matched && !session.exit && !conn.isClosed) {
    waiting = true;
    const idleMs = req.idle_ms ?? DEFAULT_IDLE_MS;
    const endsWhenSettled = !matcher && req.follow !== true && req.until_input !== true;
    await new Promise<void>((resolve) => {
      let idleTimer: ReturnType<typeof setTimeout> | null = null;
      const deadline = req.timeout_ms == null ? null : setTimeout(() => finish(true), req.timeout_ms);
      const offWait = req.until_input ? interaction.watcher.whenWaiting(() => finish(false, "input"), idleMs) : () => {};
      const pump = () => {
        if (stream.pump(session.ring.end) === "stopped") finish(false);
      };
      const offOutput = session.onOutput(() => {
        pump();
        if (endsWhenSettled) armIdle(idleMs);
      });
      const offRoom = conn.onRoom(pump);
      const offExit = session.onExit(() => finish(false, "exit"));
      const offClose = conn.onClose(() => finish(false));
      function armIdle(ms: number) {
        if (idleTimer) clearTimeout(idleTimer);
        idleTimer = setTimeout(() => finish(false, "idle"), ms);
      }
      function finish(byTimeout: boolean, why?: WaitReason) {
        timedOut = byTimeout;
        reason = byTimeout ? "timeout" : matched ? "match" : (why ?? reason);
        if (deadline) clearTimeout(deadline);
        if (idleTimer) clearTimeout(idleTimer);
        offWait();
        offOutput();
        offRoom();
        offExit();
        offClose();
        resolve();
      }
      // Output that came while the backlog was being sent.
      pump();
      // Output already there that has been quiet long enough counts as settled.
      if (endsWhenSettled && stream.sent > start) {
        const quietFor = performance.now() - session.lastOutputAt;
        armIdle(Math.max(0, idleMs - quietFor));
      }
    });
    // What the program wrote before the read ended but the client had no room for yet, and the
    // output that arrived between the last event and the exit announcement.
    if (!matched) await stream.drainTo(session.ring.end);
  }

  if (advancesCursor) session.cursor = Math.max(session.cursor, stream.sent);
  conn.send({
    type: "read-end",
    offset: start,
    next_offset: stream.sent,
    dropped_bytes: droppedBefore + stream.dropped,
    matched,
    timed_out: timedOut,
    status: session.exit ? "exited" : "running",
    exit_code: session.exit?.exit_code ?? null,
    signal: session.exit?.signal ?? null,
    ...(reason ? { reason } : {}),
  });
}

export function compilePattern(until: { source: string; flags: string }): RegExp {
  try {
    return new RegExp(until.source, until.flags);
  } catch (err) {
    throw new DeltaError(ErrorCode.INVALID_ARGUMENT, `invalid --until pattern: ${(err as Error).message}`);
  }
}
