import type { Request } from "../../protocol/messages.ts";
import type { HandlerContext } from "../context.ts";

export async function handleResize({ session, conn }: HandlerContext, req: Extract<Request, { type: "resize" }>): Promise<void> {
  session.resize(req.cols, req.rows);
  conn.send({ type: "resized", cols: req.cols, rows: req.rows });
}
