// Streaming output to one client at the pace it reads. The bytes come from the ring buffer, not
// from a per-client queue: a client that reads slowly (or not at all) costs the holder at most
// OUTPUT_HIGH_WATER_BYTES of queued replies, however fast the program writes; when it falls
// behind by more than the ring holds, the bytes it missed are counted as dropped, never buffered.
import { OUTPUT_HIGH_WATER_BYTES, STREAM_CHUNK_BYTES } from "../constants.ts";
import { encodeOutputLine } from "../protocol/codec.ts";
import type { Connection } from "./connection.ts";
import type { HolderSession } from "./session.ts";

export class OutputStream {
  /** Offset just after the last byte sent. */
  sent: number;
  /** Bytes the ring dropped before they could be sent. */
  dropped = 0;
  /** Offset of the first byte sent (null before any). */
  firstSent: number | null = null;

  constructor(
    private readonly conn: Connection,
    private readonly session: HolderSession,
    from: number,
    /** Sees every chunk as it is sent; returning true stops the stream there (a match). */
    private readonly onChunk: (bytes: Uint8Array) => boolean = () => false,
  ) {
    this.sent = from;
  }

  /**
   * Sends from `sent` up to `limit` while the client keeps up. Returns "done" once everything up
   * to `limit` went out, "stopped" when onChunk asked to stop, "full" when the client's queue is
   * full (call again after the connection drains).
   */
  pump(limit: number): "done" | "stopped" | "full" {
    const ring = this.session.ring;
    const end = Math.min(limit, ring.end);
    while (this.sent < end) {
      if (this.conn.isClosed) return "done";
      if (this.conn.pendingOutputBytes >= OUTPUT_HIGH_WATER_BYTES) return "full";
      if (this.sent < ring.start) {
        this.dropped += ring.start - this.sent;
        this.sent = ring.start;
        continue;
      }
      const to = Math.min(end, this.sent + STREAM_CHUNK_BYTES);
      const bytes = ring.view(this.sent, to);
      this.firstSent ??= this.sent;
      this.conn.sendLine(encodeOutputLine(bytes, this.sent));
      this.sent = to;
      if (this.onChunk(bytes)) return "stopped";
    }
    return "done";
  }

  /** Sends everything up to `limit`, waiting for the client to read as needed. */
  async drainTo(limit: number): Promise<"done" | "stopped"> {
    for (;;) {
      const r = this.pump(limit);
      if (r !== "full") return r;
      await this.conn.waitForRoom();
    }
  }
}
