// exec's private marks: OSC sequences the shell integration prints to the terminal,
// `ESC ] 697 ; SECRET ; KIND ; VALUE BEL`, taken out of the program's output before anything else
// (ring buffer, screen, readers, recordings) sees it. SECRET is random per session: a program's
// output can only look like a mark if it knows the secret, and the text of the wrapper (echoed
// command lines, `cat` of the script, `declare -f`) never contains the ESC byte that starts one.

const ESC = 0x1b;
const BEL = 0x07;
/** The OSC number of the marks (unassigned by xterm, iTerm2, VS Code, kitty and WezTerm). */
export const MARK_OSC = 697;
/** A mark's KIND;VALUE is short; anything longer after the prefix is not one of ours. */
const MAX_BODY_BYTES = 64;

export interface Mark {
  /** S: a command is starting (value: the exec's nonce); P: a prompt (value: the exit status). */
  kind: string;
  value: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

type Match = { kind: "none" } | { kind: "partial" } | { kind: "mark"; end: number; mark: Mark };
const NONE: Match = { kind: "none" };
const PARTIAL: Match = { kind: "partial" };

interface Waiting {
  mark: Mark;
  queued: Uint8Array[];
  emit: (bytes: Uint8Array) => void;
}

/**
 * Bytes to show in a mark's place, computed asynchronously (exec's command, drawn over the echo of
 * its typed line: show.ts); null shows nothing. Output after the mark waits for them.
 */
export type MarkReplacer = (mark: Mark) => Promise<string | null> | null;

/**
 * Streaming filter: `push` emits the output with every mark removed (in order, in as few pieces as
 * possible: a chunk without marks is emitted whole) and reports each mark between the bytes it sat
 * between. A mark split across chunks is held back until it is complete or proves not to be one.
 * A mark `replace` gives a replacement for holds the output back until the replacement is ready,
 * emits it, and only then reports the mark and goes on.
 */
export class MarkFilter {
  private readonly prefix: Uint8Array;
  private held: Uint8Array | null = null;
  /** A replacement being prepared: the output that came after its mark, queued. */
  private waiting: Waiting | null = null;

  constructor(
    secret: string,
    private readonly onMark: (mark: Mark) => void,
    private readonly replace: MarkReplacer = () => null,
  ) {
    if (!/^[0-9a-zA-Z]+$/.test(secret)) throw new Error("the mark secret must be alphanumeric");
    this.prefix = encoder.encode(`\x1b]${MARK_OSC};${secret};`);
  }

  push(data: Uint8Array, emit: (bytes: Uint8Array) => void): void {
    if (this.waiting) {
      // Copy: the caller may reuse its buffer.
      this.waiting.queued.push(data.slice());
      return;
    }
    let buf = data;
    if (this.held) {
      buf = concat(this.held, data);
      this.held = null;
    }
    let segmentStart = 0;
    let from = 0;
    for (;;) {
      const esc = buf.indexOf(ESC, from);
      if (esc === -1) break;
      const m = this.matchAt(buf, esc);
      if (m.kind === "none") {
        from = esc + 1;
        continue;
      }
      if (esc > segmentStart) emit(buf.subarray(segmentStart, esc));
      if (m.kind === "partial") {
        // Copy: the caller may reuse its buffer.
        this.held = buf.slice(esc);
        return;
      }
      const replacement = this.replace(m.mark);
      if (replacement) {
        this.waiting = { mark: m.mark, queued: m.end < buf.length ? [buf.slice(m.end)] : [], emit };
        const waiting = this.waiting;
        void replacement.then(
          (text) => this.resume(waiting, text),
          () => this.resume(waiting, null),
        );
        return;
      }
      this.onMark(m.mark);
      segmentStart = from = m.end;
    }
    if (segmentStart === 0) emit(buf);
    else if (segmentStart < buf.length) emit(buf.subarray(segmentStart));
  }

  /** The stream ended: bytes held back as a possible mark start were not one. */
  flush(emit: (bytes: Uint8Array) => void): void {
    // Whatever a replacement still being prepared would have shown comes too late now.
    while (this.waiting) this.resume(this.waiting, null);
    const held = this.held;
    this.held = null;
    if (held && held.length > 0) emit(held);
  }

  private resume(waiting: Waiting, text: string | null): void {
    // Already resumed (the stream ended while the replacement was prepared).
    if (this.waiting !== waiting) return;
    this.waiting = null;
    if (text) waiting.emit(encoder.encode(text));
    this.onMark(waiting.mark);
    for (let i = 0; i < waiting.queued.length; i++) {
      this.push(waiting.queued[i]!, waiting.emit);
      // Another mark in the queued output is being replaced: the rest waits behind it.
      const again = this.waiting as Waiting | null;
      if (again) {
        again.queued.push(...waiting.queued.slice(i + 1));
        return;
      }
    }
  }

  private matchAt(buf: Uint8Array, at: number): Match {
    const p = this.prefix;
    for (let k = 1; k < p.length; k++) {
      if (at + k >= buf.length) return PARTIAL;
      if (buf[at + k] !== p[k]) return NONE;
    }
    const bodyStart = at + p.length;
    const limit = Math.min(buf.length, bodyStart + MAX_BODY_BYTES + 1);
    for (let i = bodyStart; i < limit; i++) {
      const c = buf[i]!;
      if (c === BEL) return parseBody(buf.subarray(bodyStart, i), i + 1);
      if (!isBodyByte(c)) return NONE;
    }
    return limit === buf.length && limit - bodyStart <= MAX_BODY_BYTES ? PARTIAL : NONE;
  }
}

function parseBody(body: Uint8Array, end: number): Match {
  const text = decoder.decode(body);
  const semi = text.indexOf(";");
  if (semi <= 0) return NONE;
  return { kind: "mark", end, mark: { kind: text.slice(0, semi), value: text.slice(semi + 1) } };
}

/** Letters, digits, ';' and '-' (a status is a number, a nonce hex). */
function isBodyByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x3b || c === 0x2d;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
