// keys: named keys, encoded with the cursor-key mode the program has set (DECCKM).
import type { Request } from "../../protocol/messages.ts";
import { encodeKeys, validateKeys } from "../../keys/keys.ts";
import { DeltaError, ErrorCode } from "../../errors.ts";
import type { HandlerContext } from "../context.ts";
import { handleReply } from "./reply.ts";

export async function handleKeys(ctx: HandlerContext, req: Extract<Request, { type: "keys" }>): Promise<void> {
  const { session, conn } = ctx;
  validateKeys(req.keys);
  if (session.exit) throw new DeltaError(ErrorCode.SESSION_EXITED, "the session's program has exited");
  const since = await session.withInputLock(async () => {
    // The mode must reflect every byte of output received so far.
    await session.screen.flush();
    const bytes = encodeKeys(req.keys, { applicationCursor: session.screen.modes().applicationCursor });
    const offset = session.ring.end;
    await session.deliverInput(bytes);
    conn.send({ type: "keys-sent", bytes: bytes.length, offset });
    return offset;
  });
  // As for a write: the reply is awaited after the input lock is released.
  if (req.reply) await handleReply(ctx, { type: "reply", since, ...req.reply });
}
