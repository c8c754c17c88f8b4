// attach: the connection becomes an attached terminal (holder/attach/). The handler returns at
// once; from here on the connection's lines go to the attachment, not the request queue.
import { DeltaError, ErrorCode } from "../../errors.ts";
import type { Request } from "../../protocol/messages.ts";
import { attachmentsOf } from "../attach/attachments.ts";
import type { HandlerContext } from "../context.ts";

export async function handleAttach({ session, conn }: HandlerContext, req: Extract<Request, { type: "attach" }>): Promise<void> {
  if (session.exit) throw new DeltaError(ErrorCode.SESSION_EXITED, "the session's program has exited");
  attachmentsOf(session).attach(conn, { cols: req.cols, rows: req.rows, readOnly: req.read_only });
}
