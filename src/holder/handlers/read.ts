// read: output from the default reader's cursor, from the oldest kept byte, or from an absolute
// offset; optionally waiting (pushed by the holder, no polling) until the output settles, a
// pattern matches, the program exits, or the timeout passes. Output is sent from the ring buffer
// at the pace the client reads (see OutputStream), so a long wait never makes the holder buffer
// more than the ring, and a slow client only ever loses bytes it is told about. A read that ends
// sends its output when it ends (one buffer at most); `--follow` streams it as it comes.
import { DEFAULT_IDLE_MS, STREAM_CHUNK_BYTES } from "../../constants.ts";
import { DeltaError, ErrorCode } from "../../errors.ts";
import type { ReadRequest, WaitReason } from "../../protocol/messages.ts";
import { UntilMatcher } from "../../text/until.ts";
import type { HandlerContext } from "../context.ts";
import { EchoFreeStream } from "../input-wait/echo-text.ts";
import { trackInteraction } from "../input-wait/state.ts";
import type { Connection } from "../connection.ts";
import { OutputStream } from "../output-stream.ts";
import type { HolderSession } from "../session.ts";

export async function handleRead(ctx: HandlerContext, req: ReadRequest): Promise<void> {
  const { session, conn } = ctx;
  const matcher = req.until ? new UntilMatcher(compilePattern(req.until)) : null;
  const requested = req.from === "cursor" ? session.cursor : req.from === "all" ? session.ring.start : (req.since ?? 0);
  const start = Math.min(Math.max(requested, session.ring.start), session.ring.end);
  const interaction = trackInteraction(session);
  // `--until` is matched against the output without the echo of input typed since the read's
  // start: the echoed command line never ends a read (SPEC §10).
  const echoFree = matcher ? new EchoFreeStream(interaction.inputs.since(start), true) : null;
  const read: ReadState = {
    req,
    start,
    // Bytes the reader asked for that the ring no longer holds.
    droppedBefore: Math.max(0, session.ring.start - requested),
    matched: false,
    timedOut: false,
    reason: undefined,
    feed: (bytes, offset) => (matcher && !read.matched && matcher.feedText(echoFree!.push(bytes, offset)) ? (read.matched = true) : false),
  };
  if (req.follow === true) await followOutput(ctx, read);
  else await collectOutput(ctx, read);
}

interface ReadState {
  req: ReadRequest;
  start: number;
  droppedBefore: number;
  matched: boolean;
  timedOut: boolean;
  reason: WaitReason | undefined;
  /** Output as the read sees it, in order; true when it completed the `--until` match. */
  feed: (bytes: Uint8Array, offset: number) => boolean;
}

/**
 * A read that ends (everything there is, or after waiting): the output is looked at as it comes
 * but sent once the read ends, from the ring buffer. So its reply carries at most the buffer's
 * size, the newest bytes (what the ring dropped meanwhile counts in dropped_bytes), however fast
 * the program writes while it waits, and a flood costs the holder no reply traffic meanwhile.
 */
async function collectOutput({ session, conn }: HandlerContext, read: ReadState): Promise<void> {
  const { req } = read;
  const ring = session.ring;
  // Everything already there is read even past a match (as one read would)…
  let end = ring.end;
  for (let at = read.start; at < end; at += STREAM_CHUNK_BYTES) read.feed(ring.view(at, Math.min(end, at + STREAM_CHUNK_BYTES)), at);
  const waits = req.timeout_ms !== undefined || req.until_input === true;
  if (waits) read.reason = read.matched ? "match" : "exit";
  if (waits && !read.matched && !session.exit && !conn.isClosed) {
    // …while waiting, a match ends the read after the chunk that completed it.
    end = await waitForEnd(session, conn, read, end > read.start);
  }
  const stream = new OutputStream(conn, session, read.start);
  await stream.drainTo(end);
  // Where the output starts: after what the ring let go while the read waited.
  read.start = stream.firstSent ?? stream.sent;
  finishRead(session, conn, read, stream);
}

/** Waits until the read's condition, the timeout or the exit; returns where its output ends. */
function waitForEnd(session: HolderSession, conn: Connection, read: ReadState, hadOutput: boolean): Promise<number> {
  const { req } = read;
  const idleMs = req.idle_ms ?? DEFAULT_IDLE_MS;
  const endsWhenSettled = !req.until && req.until_input !== true;
  const interaction = trackInteraction(session);
  return new Promise<number>((resolve) => {
    let idleTimer: ReturnType<typeof setTimeout> | null = null;
    const deadline = req.timeout_ms == null ? null : setTimeout(() => finish(true), req.timeout_ms);
    const offWait = req.until_input ? interaction.watcher.whenWaiting(() => finish(false, "input"), idleMs) : () => {};
    const offOutput = session.onOutput((bytes, offset) => {
      if (read.feed(bytes, offset)) return finish(false, "match", offset + bytes.length);
      if (endsWhenSettled) armIdle(idleMs);
    });
    const offExit = session.onExit(() => finish(false, "exit"));
    const offClose = conn.onClose(() => finish(false));
    function armIdle(ms: number) {
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = setTimeout(() => finish(false, "idle"), ms);
    }
    function finish(byTimeout: boolean, why?: WaitReason, end = session.ring.end) {
      read.timedOut = byTimeout;
      read.reason = byTimeout ? "timeout" : (why ?? read.reason);
      if (deadline) clearTimeout(deadline);
      if (idleTimer) clearTimeout(idleTimer);
      offWait();
      offOutput();
      offExit();
      offClose();
      resolve(end);
    }
    // Output already there that has been quiet long enough counts as settled.
    if (endsWhenSettled && hadOutput) armIdle(Math.max(0, idleMs - (performance.now() - session.lastOutputAt)));
  });
}

/** `--follow`: output is streamed as it comes, at the pace the client reads, until the exit (or
 *  a match, the timeout, an input wait). */
async function followOutput({ session, conn }: HandlerContext, read: ReadState): Promise<void> {
  const { req } = read;
  const advancesCursor = req.from !== "since" && req.peek !== true;
  const stream = new OutputStream(conn, session, read.start, (bytes) => {
    const matched = read.feed(bytes, stream.sent - bytes.length);
    if (advancesCursor) session.cursor = Math.max(session.cursor, stream.sent);
    return matched;
  });
  await stream.drainTo(session.ring.end);
  read.reason = read.matched ? "match" : "exit";
  if (!read.matched && !session.exit && !conn.isClosed) {
    await new Promise<void>((resolve) => {
      const deadline = req.timeout_ms == null ? null : setTimeout(() => finish(true), req.timeout_ms);
      const offWait = req.until_input ? trackInteraction(session).watcher.whenWaiting(() => finish(false, "input"), req.idle_ms ?? DEFAULT_IDLE_MS) : () => {};
      const pump = () => {
        if (stream.pump(session.ring.end) === "stopped") finish(false);
      };
      const offOutput = session.onOutput(pump);
      const offRoom = conn.onRoom(pump);
      const offExit = session.onExit(() => finish(false, "exit"));
      const offClose = conn.onClose(() => finish(false));
      function finish(byTimeout: boolean, why?: WaitReason) {
        read.timedOut = byTimeout;
        read.reason = byTimeout ? "timeout" : read.matched ? "match" : (why ?? read.reason);
        if (deadline) clearTimeout(deadline);
        offWait();
        offOutput();
        offRoom();
        offExit();
        offClose();
        resolve();
      }
      // Output that came while the backlog was being sent.
      pump();
    });
    // What the program wrote before the read ended but the client had no room for yet.
    if (!read.matched) await stream.drainTo(session.ring.end);
  }
  finishRead(session, conn, read, stream);
}

function finishRead(session: HolderSession, conn: Connection, read: ReadState, stream: OutputStream): void {
  if (read.req.from !== "since" && read.req.peek !== true) session.cursor = Math.max(session.cursor, stream.sent);
  conn.send({
    type: "read-end",
    offset: read.start,
    next_offset: stream.sent,
    dropped_bytes: read.droppedBefore + stream.dropped,
    matched: read.matched,
    timed_out: read.timedOut,
    status: session.exit ? "exited" : "running",
    exit_code: session.exit?.exit_code ?? null,
    signal: session.exit?.signal ?? null,
    ...(read.reason ? { reason: read.reason } : {}),
  });
}

export function compilePattern(until: { source: string; flags: string }): RegExp {
  try {
    return new RegExp(until.source, until.flags);
  } catch (err) {
    throw new DeltaError(ErrorCode.INVALID_ARGUMENT, `invalid --until pattern: ${(err as Error).message}`);
  }
}
