// Per-session interaction state: the input log (whose echo to recognise) and the input-wait
// watcher. Installed when the holder starts, before any input can arrive; costs one cheap input
// listener and nothing while idle.
import type { HolderSession } from "../session.ts";
import { InputLog } from "./input-log.ts";
import { InputWaitWatcher } from "./watcher.ts";

export interface Interaction {
  inputs: InputLog;
  watcher: InputWaitWatcher;
}

const states = new WeakMap<HolderSession, Interaction>();

export function trackInteraction(session: HolderSession): Interaction {
  let state = states.get(session);
  if (state) return state;
  const created: Interaction = { inputs: new InputLog(), watcher: new InputWaitWatcher(session) };
  session.onInput((bytes) => {
    created.inputs.record(session.ring.end, bytes);
    created.watcher.noteInput();
  });
  states.set(session, created);
  state = created;
  return state;
}
