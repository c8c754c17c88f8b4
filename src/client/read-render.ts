// What a (non-streaming) read prints: the bytes as they came, or their plain text (--strip-ansi),
// cut to the last N lines (--lines), and how many of the bytes the holder sent lie before what is
// printed, so that `offset` says where the printed text starts.
export interface Rendered {
  bytes: Uint8Array;
  /** Bytes of the read's output (as sent, before plain text) that come before `bytes`. */
  skipped: number;
}

export async function renderReadOutput(raw: Uint8Array, strip: boolean, lines: number | undefined): Promise<Rendered> {
  if (!strip && lines === undefined) return { bytes: raw, skipped: 0 };
  const { tailStart, afterNewlines, countNewlines } = await import("../text/lines.ts");
  if (!strip) {
    const start = tailStart(raw, lines!);
    return { bytes: raw.subarray(start), skipped: start };
  }
  const { stripAnsi } = await import("../text/ansi.ts");
  const plain = new TextEncoder().encode(stripAnsi(new TextDecoder().decode(raw)));
  if (lines === undefined) return { bytes: plain, skipped: 0 };
  // Plain text keeps every LF of the output, one for one: the lines before the tail end at the
  // same LF in both, which gives the offset in the bytes as sent.
  const start = tailStart(plain, lines);
  return { bytes: plain.subarray(start), skipped: afterNewlines(raw, countNewlines(plain, start)) };
}
