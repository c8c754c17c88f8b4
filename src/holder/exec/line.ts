// What the holder knows about the shell's command line, from the input it delivered: whether
// anything was typed since the shell last showed its prompt (a P mark), and if so whether that
// left text on the line, submitted a line (Enter), or interrupted it (Ctrl-C). exec decides from
// this, never from what the prompt looks like, whether it may type at once (SPEC §3a). Tracked
// from the session's start, so that the first exec knows what `write` or `attach` typed before it.
import type { HolderSession } from "../session.ts";
import type { Dialect } from "./shell.ts";

/**
 * clean: nothing typed since the prompt, or the line was emptied again (Ctrl-U, backspaces);
 * typed: text on the line without Enter (or keys whose effect is not modelled: arrows, Tab…);
 * submitted: Enter was pressed: a command may be running, or the shell waits for more (an open
 *   quote or here-document, fish keeping a line with a syntax error);
 * interrupted: Ctrl-C was typed: the shell is on its way back to a clean prompt.
 */
export type LineKind = "clean" | "typed" | "submitted" | "interrupted";

export interface LineState {
  kind: LineKind;
  /** Characters on the line when `typed` and only printable keys and backspaces were seen; else null. */
  length: number | null;
}

export const CLEAN_LINE: LineState = { kind: "clean", length: 0 };

const CTRL_C = 0x03;
const CTRL_U = 0x15;
const BACKSPACE = 0x08;
const DEL = 0x7f;
const CR = 0x0d;
const LF = 0x0a;

/** The state after `bytes` were typed in state `s` (pure: a table-tested model of a line editor). */
export function applyInput(s: LineState, bytes: Uint8Array): LineState {
  let kind = s.kind;
  let length = s.length;
  for (const b of bytes) {
    if (b === CTRL_C) {
      kind = "interrupted";
      length = 0;
      continue;
    }
    // After Enter, what follows goes to whatever reads next; only a Ctrl-C says where we are.
    if (kind === "submitted") continue;
    if (kind === "interrupted") {
      // Typed after Ctrl-C: it lands on the fresh line the shell is bringing back.
      kind = "clean";
      length = 0;
    }
    if (b === CR || b === LF) {
      kind = "submitted";
      length = null;
    } else if (b === CTRL_U) {
      // Every supported shell's Ctrl-U clears the line up to the cursor, which is at the end
      // unless keys we do not model moved it (then the length is unknown and the line stays typed).
      if (length !== null) {
        kind = "clean";
        length = 0;
      }
    } else if (b === DEL || b === BACKSPACE) {
      if (length !== null && length > 0) length--;
      if (length === 0) kind = "clean";
    } else if (b >= 0x80 && b < 0xc0) {
      // A UTF-8 continuation byte belongs to the character before it.
    } else if (b >= 0x20) {
      kind = "typed";
      if (length !== null) length++;
    } else {
      // ESC sequences and other control keys move the cursor or edit in ways not followed here.
      kind = "typed";
      length = null;
    }
  }
  return { kind, length };
}

/** The per-session tracker: input moves the state, a prompt mark makes the line clean again. */
export class CommandLine {
  state: LineState = CLEAN_LINE;
  /**
   * fish cancels the line on Ctrl-C without a prompt mark when the line was empty already, so a
   * Ctrl-C typed by someone else counts as a clean line there. (exec's own Ctrl-C, sent only on
   * a line holding text, waits for the mark fish_cancel prints.)
   */
  constructor(readonly ctrlCClears: boolean) {}
  /** Whether any input at all reached the shell (before it, the line is clean however long it starts). */
  touched = false;

  note(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.touched = true;
    this.state = applyInput(this.state, bytes);
    if (this.ctrlCClears && this.state.kind === "interrupted") this.state = CLEAN_LINE;
  }

  prompted(): void {
    this.state = CLEAN_LINE;
  }
}

const lines = new WeakMap<HolderSession, CommandLine>();

/** Starts tracking the session's command line (from its start: call before any input). */
export function trackCommandLine(session: HolderSession, dialect: Dialect): CommandLine {
  let line = lines.get(session);
  if (!line) {
    const created = new CommandLine(dialect === "fish");
    session.onInput((bytes) => created.note(bytes));
    lines.set(session, created);
    line = created;
  }
  return line;
}
