// write-key: named keys, validated all-or-nothing before anything is sent; the holder encodes them
// (it knows the program's cursor-key mode).
import { validateKeys } from "../keys/keys.ts";
import { runOnLiveSession, type LiveTarget } from "./session.ts";

export interface KeysDoc {
  status: "sent";
  /** The first key, as the baseline printed it. */
  key: string;
  keys: string[];
  session_id: string;
  offset: number;
}

export async function sendKeys(target: LiveTarget, keys: string[]): Promise<KeysDoc> {
  validateKeys(keys);
  const reply = await target.conn.request({ type: "keys", keys }, "keys-sent");
  return { status: "sent", key: keys[0]!, keys, session_id: target.id, offset: reply.offset };
}

/** write-key by session id or name, owning the connection; bad keys are refused before it opens. */
export async function pressKeys(sessionsDir: string, idOrName: string, keys: string[]): Promise<KeysDoc> {
  validateKeys(keys);
  return runOnLiveSession(sessionsDir, idOrName, (target) => sendKeys(target, keys));
}
