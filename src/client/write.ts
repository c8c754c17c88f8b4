// write: one atomic input (optionally followed by Enter, optionally as a bracketed paste) to a live
// session. The CLI decodes its escapes first; the MCP server sends its JSON string as given.
// `writeToSession` works on a session already reached (the MCP server reuses its connections),
// `writeInput` reaches it and owns the connection (the CLI).
import { concatBytes } from "../text/bytes.ts";
import { sendInput } from "./input.ts";
import { runOnLiveSession, type LiveTarget } from "./session.ts";

export interface WriteDoc {
  status: "sent";
  bytes: number;
  session_id: string;
  offset: number;
}

const CR = new Uint8Array([0x0d]);

export async function writeToSession(target: LiveTarget, bytes: Uint8Array, opts: { enter?: boolean; paste?: boolean } = {}): Promise<WriteDoc> {
  const data = opts.enter ? concatBytes([bytes, CR]) : bytes;
  const sent = await sendInput(target.conn, data, opts.paste === true);
  return { status: "sent", bytes: sent.bytes, session_id: target.id, offset: sent.offset };
}

export async function writeInput(sessionsDir: string, idOrName: string, bytes: Uint8Array, opts: { enter?: boolean; paste?: boolean } = {}): Promise<WriteDoc> {
  return runOnLiveSession(sessionsDir, idOrName, (target) => writeToSession(target, bytes, opts));
}
