import type { Request } from "../../protocol/messages.ts";
import type { HandlerContext } from "../context.ts";

export async function handleScreen({ session, conn }: HandlerContext, req: Extract<Request, { type: "screen" }>): Promise<void> {
  const cap = await session.screen.capture(req.scrollback ?? 0);
  conn.send({ type: "screen", ...cap });
}
