// exec: run a command in the session's shell and stream its output, then its exit status.
import { STREAM_CHUNK_BYTES } from "../../constants.ts";
import { DeltaError, ErrorCode } from "../../errors.ts";
import { base64ToBytes, bytesToBase64 } from "../../protocol/codec.ts";
import type { ExecRequest } from "../../protocol/messages.ts";
import type { HandlerContext } from "../context.ts";
import { execControllerFor } from "../exec/controller.ts";
import { checkShell } from "../exec/shell.ts";

export async function handleExec({ session, conn, config }: HandlerContext, req: ExecRequest): Promise<void> {
  // Checked before anything is typed: a program that is not a shell never sees exec's input.
  const shell = checkShell(config.command);
  if (!shell.ok) throw new DeltaError(ErrorCode.EXEC_UNSUPPORTED, shell.reason);
  if (!config.shell_integration) {
    throw new DeltaError(ErrorCode.EXEC_UNSUPPORTED, "this session was started with --no-shell-integration, which exec needs; use write and read");
  }
  if (session.exit) throw new DeltaError(ErrorCode.SESSION_EXITED, "the session's program has exited");
  await execControllerFor(session, config, shell.dialect).run({
    command: base64ToBytes(req.data),
    timeoutMs: req.timeout_ms ?? null,
    killOnTimeout: req.kill_on_timeout === true,
    output: (bytes, offset) => {
      for (let at = 0; at < bytes.length; at += STREAM_CHUNK_BYTES) {
        const piece = bytes.subarray(at, Math.min(bytes.length, at + STREAM_CHUNK_BYTES));
        conn.send({ type: "output", data: bytesToBase64(piece), offset: offset + at });
      }
    },
    onClose: (fn) => conn.onClose(fn),
    reply: (outcome) => conn.send({ type: "exec-end", ...outcome }),
  });
}
