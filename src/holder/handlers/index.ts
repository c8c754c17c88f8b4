// Request type -> handler. One file per request type.
import type { Request } from "../../protocol/messages.ts";
import type { HandlerContext } from "../context.ts";
import { handleAttach } from "./attach.ts";
import { handleEnd } from "./end.ts";
import { handleExec } from "./exec.ts";
import { handleInfo } from "./info.ts";
import { handleKeys } from "./keys.ts";
import { handleRead } from "./read.ts";
import { handleReply } from "./reply.ts";
import { handleResize } from "./resize.ts";
import { handleScreen } from "./screen.ts";
import { handleWait } from "./wait.ts";
import { handleWrite } from "./write.ts";

export function dispatchRequest(ctx: HandlerContext, req: Request): Promise<void> {
  switch (req.type) {
    case "info":
      return handleInfo(ctx, req);
    case "write":
      return handleWrite(ctx, req);
    case "keys":
      return handleKeys(ctx, req);
    case "read":
      return handleRead(ctx, req);
    case "screen":
      return handleScreen(ctx, req);
    case "resize":
      return handleResize(ctx, req);
    case "wait":
      return handleWait(ctx, req);
    case "end":
      return handleEnd(ctx, req);
    case "attach":
      return handleAttach(ctx, req);
    case "exec":
      return handleExec(ctx, req);
    case "reply":
      return handleReply(ctx, req);
  }
}
