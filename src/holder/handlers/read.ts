// read: output from the default reader's cursor, from the oldest kept byte, or from an absolute
// offset; optionally waiting (pushed by the holder, no polling) until the output settles, a
// pattern matches, the program exits, or the timeout passes. Output is streamed as it arrives so a
// long wait never loses bytes to the ring buffer.
import { DEFAULT_IDLE_MS, STREAM_CHUNK_BYTES } from "../../constants.ts";
import { bytesToBase64 } from "../../protocol/codec.ts";
import type { ReadRequest } from "../../protocol/messages.ts";
import { UntilMatcher } from "../../text/until.ts";
import type { Connection } from "../connection.ts";
import type { HandlerContext } from "../context.ts";
import type { HolderSession } from "../session.ts";

export async function handleRead({ session, conn }: HandlerContext, req: ReadRequest): Promise<void> {
  const requested = req.from === "cursor" ? session.cursor : req.from === "all" ? session.ring.start : (req.since ?? 0);
  const start = Math.min(Math.max(requested, session.ring.start), session.ring.end);
  const dropped = Math.max(0, session.ring.start - requested);
  const advancesCursor = req.from !== "since" && req.peek !== true;
  const waits = req.timeout_ms !== undefined || req.follow === true;
  const matcher = req.until ? new UntilMatcher(new RegExp(req.until.source, req.until.flags)) : null;

  let sent = start;
  const sendRange = (from: number, to: number) => {
    sendOutput(conn, session, from, to);
    sent = to;
    if (advancesCursor && req.follow) session.cursor = Math.max(session.cursor, sent);
  };

  const sendBytes = (bytes: Uint8Array, offset: number) => {
    sendChunked(conn, bytes, offset);
    sent = offset + bytes.length;
    if (advancesCursor && req.follow) session.cursor = Math.max(session.cursor, sent);
  };

  sendRange(start, session.ring.end);
  let matched = matcher ? matcher.feed(session.ring.slice(start, sent)) : false;
  let timedOut = false;

  if (waits && !matched && !session.exit && !conn.isClosed) {
    const idleMs = req.idle_ms ?? DEFAULT_IDLE_MS;
    const endsWhenSettled = !matcher && req.follow !== true;
    await new Promise<void>((resolve) => {
      let idleTimer: ReturnType<typeof setTimeout> | null = null;
      const deadline = req.timeout_ms == null ? null : setTimeout(() => finish(true), req.timeout_ms);
      const offOutput = session.onOutput((chunk, offset) => {
        // Bytes may have been sent already by the initial range; skip those.
        const skip = Math.max(0, sent - offset);
        if (skip >= chunk.length) return;
        sendBytes(chunk.subarray(skip), offset + skip);
        if (matcher && matcher.feed(chunk.subarray(skip))) {
          matched = true;
          return finish(false);
        }
        if (endsWhenSettled) armIdle(idleMs);
      });
      const offExit = session.onExit(() => finish(false));
      const offClose = conn.onClose(() => finish(false));
      function armIdle(ms: number) {
        if (idleTimer) clearTimeout(idleTimer);
        idleTimer = setTimeout(() => finish(false), ms);
      }
      function finish(byTimeout: boolean) {
        timedOut = byTimeout;
        if (deadline) clearTimeout(deadline);
        if (idleTimer) clearTimeout(idleTimer);
        offOutput();
        offExit();
        offClose();
        resolve();
      }
      // Output already there that has been quiet long enough counts as settled.
      if (endsWhenSettled && sent > start) {
        const quietFor = performance.now() - session.lastOutputAt;
        armIdle(Math.max(0, idleMs - quietFor));
      }
    });
    // Output that arrived between the last event and the exit announcement.
    if (session.exit && sent < session.ring.end) sendRange(sent, session.ring.end);
  }

  if (advancesCursor) session.cursor = Math.max(session.cursor, sent);
  conn.send({
    type: "read-end",
    offset: start,
    next_offset: sent,
    dropped_bytes: dropped,
    matched,
    timed_out: timedOut,
    status: session.exit ? "exited" : "running",
    exit_code: session.exit?.exit_code ?? null,
    signal: session.exit?.signal ?? null,
  });
}

function sendOutput(conn: Connection, session: HolderSession, from: number, to: number): void {
  sendChunked(conn, session.ring.slice(from, to), from);
}

function sendChunked(conn: Connection, bytes: Uint8Array, offset: number): void {
  for (let at = 0; at < bytes.length; at += STREAM_CHUNK_BYTES) {
    const piece = bytes.subarray(at, Math.min(bytes.length, at + STREAM_CHUNK_BYTES));
    conn.send({ type: "output", data: bytesToBase64(piece), offset: offset + at });
  }
}
