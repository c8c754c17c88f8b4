// write: input bytes, possibly in several chunks, delivered as one atomic unit.
import { DeltaError, ErrorCode } from "../../errors.ts";
import { base64ToBytes, isBase64 } from "../../protocol/codec.ts";
import type { RequestOf } from "../../protocol/messages.ts";
import { parseRequestLine } from "../../protocol/parse.ts";
import type { HandlerContext } from "../context.ts";
import { handleReply } from "./reply.ts";

type WriteRequest = RequestOf<"write">;

const BRACKETED_PASTE_START = new TextEncoder().encode("\x1b[200~");
const BRACKETED_PASTE_END = new TextEncoder().encode("\x1b[201~");
const ENTER = new Uint8Array([0x0d]);

/**
 * The first chunk takes the input lock; following chunks arrive on the same connection (each
 * acked, so the client never outruns the PTY) and the lock is released after the last one, or
 * when the client goes away mid-write.
 */
export async function handleWrite(ctx: HandlerContext, first: WriteRequest): Promise<void> {
  const { session, conn } = ctx;
  if (session.exit) throw new DeltaError(ErrorCode.SESSION_EXITED, "the session's program has exited");
  if (!isBase64(first.data)) throw notBase64();
  const since = await session.withInputLock(async (): Promise<number | null> => {
    await session.screen.flush();
    const paste = first.paste === true && session.screen.modes().bracketedPaste;
    const offset = session.ring.end;
    let total = 0;
    let req: WriteRequest = first;
    if (paste) await session.deliverInput(BRACKETED_PASTE_START);
    let enter = false;
    for (;;) {
      let bytes = base64ToBytes(req.data);
      // A final CR (--enter) is the Enter key after the paste: inside it, editors insert a newline
      // and run nothing (bash, zsh, python 3.13).
      if (paste && !req.more && bytes.at(-1) === 0x0d) {
        bytes = bytes.subarray(0, -1);
        enter = true;
      }
      await session.deliverInput(bytes);
      total += bytes.length + (enter ? 1 : 0);
      if (!req.more) break;
      conn.send({ type: "ack" });
      const next = await nextWriteChunk(ctx);
      if (!next) return null; // client went away mid-write; what arrived was delivered
      req = next;
    }
    if (paste) await session.deliverInput(BRACKETED_PASTE_END);
    if (enter) await session.deliverInput(ENTER);
    conn.send({ type: "written", bytes: total, offset });
    return offset;
  });
  // send: the reply is awaited after the input lock is released (others may type meanwhile).
  if (since !== null && first.reply) {
    await handleReply(ctx, { type: "reply", since, ...first.reply });
  }
}

/** Takes the next line of this connection directly (it must be a write chunk). */
function nextWriteChunk(ctx: HandlerContext): Promise<WriteRequest | null> {
  const { conn } = ctx;
  return new Promise((resolve) => {
    const done = (value: WriteRequest | null) => {
      conn.lineTap = null;
      offClose();
      resolve(value);
    };
    const offClose = conn.onClose(() => done(null));
    conn.lineTap = (event) => {
      if (event.kind !== "line") {
        conn.send({ type: "error", code: ErrorCode.PROTOCOL_ERROR, message: "write chunk longer than the line limit" });
        conn.end();
        return done(null);
      }
      const parsed = parseRequestLine(event.text);
      if (!parsed.ok || parsed.message.type !== "write" || !isBase64(parsed.message.data)) {
        conn.send({ type: "error", code: ErrorCode.PROTOCOL_ERROR, message: "expected the next chunk of a write" });
        conn.end();
        return done(null);
      }
      done(parsed.message);
    };
  });
}

function notBase64(): DeltaError {
  return new DeltaError(ErrorCode.PROTOCOL_ERROR, "write data is not base64");
}
