// Sending input to a live session: one atomic write, chunked so any size fits the protocol, each
// chunk acked by the holder once it reached the PTY (backpressure end to end).
import { WRITE_CHUNK_BYTES } from "../constants.ts";
import { bytesToBase64 } from "../protocol/codec.ts";
import type { RequestOf } from "../protocol/messages.ts";
import type { HolderConnection } from "./connection.ts";
import { currentStdio } from "../stdio-scope.ts";

/** `extra`: fields for the first chunk's request (send asks for the reply there). */
export async function sendInput(conn: HolderConnection, bytes: Uint8Array, paste = false, extra: Record<string, unknown> = {}): Promise<{ bytes: number; offset: number }> {
  let at = 0;
  for (;;) {
    const end = Math.min(bytes.length, at + WRITE_CHUNK_BYTES);
    const more = end < bytes.length;
    const msg: RequestOf<"write"> = { type: "write", data: bytesToBase64(bytes.subarray(at, end)), more };
    if (at === 0 && paste) msg.paste = true;
    if (at === 0) Object.assign(msg, extra);
    if (!more) {
      const done = await conn.request(msg, "written");
      return { bytes: done.bytes, offset: done.offset };
    }
    await conn.request(msg, "ack");
    at = end;
  }
}

/** All of stdin as bytes (binary-safe), read to end of file. */
export async function readStdin(): Promise<Uint8Array> {
  const scope = currentStdio();
  if (scope) return scope.readStdin();
  return new Uint8Array(await Bun.stdin.arrayBuffer());
}
