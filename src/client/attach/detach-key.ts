// The detach key of `attach` (Ctrl-\ unless --detach-key says otherwise): parsing the option and
// finding the key in what the terminal sends. Like dtach's and tmux's prefix it is one control
// byte, so it is recognised in any read without waiting for more. Programs that switch the
// terminal to the kitty keyboard protocol or xterm's modifyOtherKeys make it send Ctrl-<key> as an
// escape sequence instead; those forms are recognised too, or such a program would trap people.
import { DeltaError, ErrorCode } from "../../errors.ts";
import { encodeKey } from "../../keys/keys.ts";

export const DEFAULT_DETACH_KEY = "ctrl+\\";

export interface DetachKey {
  /** As given (for messages). */
  label: string;
  /** Every byte sequence that means this key; empty when detaching by key is off (`none`). */
  forms: Uint8Array[];
}

const ESC = 0x1b;
const encoder = new TextEncoder();

/** Parses `ctrl+]`, `C-]`, `^]` (any name `write-key` knows that sends one control byte) or `none`. */
export function parseDetachKey(text: string): DetachKey {
  const label = text.trim();
  if (label.toLowerCase() === "none") return { label, forms: [] };
  const name = /^\^.$/.test(label) ? `ctrl+${label[1]}` : label;
  let bytes: Uint8Array;
  try {
    bytes = encodeKey(name, { applicationCursor: false });
  } catch (err) {
    throw new DeltaError(ErrorCode.INVALID_KEY, `--detach-key: ${(err as Error).message}`);
  }
  const byte = bytes[0]!;
  if (bytes.length !== 1 || byte >= 0x20 || byte === ESC) {
    throw new DeltaError(
      ErrorCode.INVALID_KEY,
      `--detach-key ${JSON.stringify(text)}: the detach key must be a control key that sends one byte (ctrl+\\, ctrl+], ctrl+a…ctrl+z, ctrl+^, ctrl+_), or none; escape sequences and printable keys would detach in the middle of ordinary typing`,
    );
  }
  return { label, forms: [Uint8Array.of(byte), ...extendedForms(byte)] };
}

/** Ctrl+<key> as the kitty keyboard protocol (CSI code;5 u) and modifyOtherKeys (CSI 27;5;code ~) send it. */
function extendedForms(byte: number): Uint8Array[] {
  const code = byte === 0 ? 0x40 : byte <= 0x1a ? 0x60 + byte : 0x40 + byte;
  return [encoder.encode(`\x1b[${code};5u`), encoder.encode(`\x1b[27;5;${code}~`)];
}

/** Where the first detach key in `chunk` starts and how long it is, or null. */
export function findDetachKey(chunk: Uint8Array, key: DetachKey): { index: number; length: number } | null {
  let best: { index: number; length: number } | null = null;
  for (const form of key.forms) {
    const index = indexOf(chunk, form);
    if (index !== -1 && (best === null || index < best.index)) best = { index, length: form.length };
  }
  return best;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  const first = needle[0]!;
  for (let i = haystack.indexOf(first); i !== -1 && i + needle.length <= haystack.length; i = haystack.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}
