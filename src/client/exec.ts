// Running an exec on a live holder: send the command, hand each output chunk on as it arrives,
// return the end report.
import { DeltaError, ErrorCode } from "../errors.ts";
import { base64ToBytes, bytesToBase64 } from "../protocol/codec.ts";
import type { ExecEnd } from "../protocol/messages.ts";
import type { HolderConnection } from "./connection.ts";

export interface ExecParams {
  command: Uint8Array;
  timeoutMs: number | null;
  killOnTimeout: boolean;
}

export async function runExec(conn: HolderConnection, params: ExecParams, onChunk: (bytes: Uint8Array) => Promise<void>): Promise<ExecEnd> {
  conn.send({
    type: "exec",
    data: bytesToBase64(params.command),
    timeout_ms: params.timeoutMs,
    ...(params.killOnTimeout ? { kill_on_timeout: true } : {}),
  });
  for (;;) {
    const msg = await conn.next();
    if (msg.type === "output") {
      await onChunk(base64ToBytes(msg.data));
      continue;
    }
    if (msg.type === "exec-end") return msg;
    throw new DeltaError(ErrorCode.PROTOCOL_ERROR, `unexpected ${msg.type} during exec`);
  }
}
