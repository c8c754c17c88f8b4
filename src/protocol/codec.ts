// JSON-lines framing. One message per line; a line may arrive split over many socket reads, and
// one read may carry many lines. Lines longer than the limit are refused without being kept whole.
import { MAX_LINE_BYTES } from "../constants.ts";

const NEWLINE = 0x0a;
const decoder = new TextDecoder();

export type LineEvent = { kind: "line"; text: string } | { kind: "too-long"; bytes: number };

/**
 * Splits a byte stream into lines. `push` returns the complete lines found so far. Once a line
 * exceeds `maxBytes` a single "too-long" event is reported and the rest of that line is discarded
 * as it arrives (memory stays bounded); the caller normally closes the connection.
 */
export class LineDecoder {
  private parts: Uint8Array[] = [];
  private pending = 0;
  private discarding = false;
  constructor(private readonly maxBytes: number = MAX_LINE_BYTES) {}

  push(chunk: Uint8Array): LineEvent[] {
    const events: LineEvent[] = [];
    let start = 0;
    while (start <= chunk.length) {
      const nl = chunk.indexOf(NEWLINE, start);
      const end = nl === -1 ? chunk.length : nl;
      const piece = chunk.subarray(start, end);
      if (this.discarding) {
        if (nl !== -1) this.discarding = false;
      } else if (this.pending + piece.length > this.maxBytes) {
        events.push({ kind: "too-long", bytes: this.pending + piece.length });
        this.parts = [];
        this.pending = 0;
        this.discarding = nl === -1;
      } else if (nl === -1) {
        // Copy: the caller may reuse its buffer after push returns.
        if (piece.length > 0) this.parts.push(piece.slice());
        this.pending += piece.length;
      } else {
        events.push({ kind: "line", text: this.takeLine(piece) });
      }
      if (nl === -1) break;
      start = nl + 1;
    }
    return events;
  }

  /** Bytes held for an unfinished line. */
  get bufferedBytes(): number {
    return this.pending;
  }

  private takeLine(last: Uint8Array): string {
    if (this.parts.length === 0) return decoder.decode(last);
    this.parts.push(last);
    const joined = new Uint8Array(this.pending + last.length);
    let at = 0;
    for (const p of this.parts) {
      joined.set(p, at);
      at += p.length;
    }
    this.parts = [];
    this.pending = 0;
    return decoder.decode(joined);
  }
}

const encoder = new TextEncoder();

/** Serialises one message as a line. JSON.stringify never emits a raw newline. */
export function encodeLine(message: unknown): string {
  return JSON.stringify(message) + "\n";
}

/** The line of one message as bytes, ready for a socket. */
export function encodeLineBytes(message: unknown): Uint8Array {
  return encoder.encode(encodeLine(message));
}

const OUTPUT_PREFIX = '{"type":"output","data":"';

/**
 * The line of an output message, built straight into one buffer: output is most of what a holder
 * sends, and the usual way (JSON.stringify, then encode) makes several copies of each chunk for
 * the garbage collector to catch up with. Same bytes as encodeLine({type:"output", data, offset}).
 */
export function encodeOutputLine(bytes: Uint8Array, offset: number): Uint8Array {
  const b64 = bytesToBase64(bytes);
  const suffix = `","offset":${offset}}\n`;
  const line = Buffer.allocUnsafe(OUTPUT_PREFIX.length + b64.length + suffix.length);
  let at = line.write(OUTPUT_PREFIX, 0, "latin1");
  at += line.write(b64, at, "latin1");
  line.write(suffix, at, "latin1");
  return line;
}

/** Bytes <-> base64 for output and input carried inside JSON (every byte survives). The built-in
 *  encoder is faster than Buffer's, and a CLI call that only sends never loads Buffer at all;
 *  Node before 25 (the library) has no such encoder and takes Buffer's. */
export function bytesToBase64(bytes: Uint8Array): string {
  if (typeof bytes.toBase64 === "function") return bytes.toBase64();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/** Strict base64 (the decoder below silently skips characters that are not base64). */
export function isBase64(text: string): boolean {
  return text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text);
}

export function base64ToBytes(text: string): Uint8Array {
  // Buffer's decoder is twice as fast as Uint8Array.fromBase64 on megabytes of output, and a
  // Buffer is a Uint8Array: no second copy.
  return Buffer.from(text, "base64");
}
