// `--lines N`: the last N lines of a byte string, counted like `tail -n` (a final newline does not
// start an extra empty line). Works on bytes so invalid UTF-8 passes through untouched.

/** Where the last N lines start (an index into `bytes`). */
export function tailStart(bytes: Uint8Array, n: number): number {
  if (n <= 0) return bytes.length;
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === 0x0a) end--;
  let count = 0;
  for (let i = end - 1; i >= 0; i--) {
    if (bytes[i] === 0x0a && ++count === n) return i + 1;
  }
  return 0;
}

export function tailLines(bytes: Uint8Array, n: number): Uint8Array {
  return bytes.subarray(tailStart(bytes, n));
}

/** The index just after the n-th LF (0 for n = 0): where line n+1 starts. */
export function afterNewlines(bytes: Uint8Array, n: number): number {
  if (n <= 0) return 0;
  let count = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a && ++count === n) return i + 1;
  }
  return bytes.length;
}

export function countNewlines(bytes: Uint8Array, end = bytes.length): number {
  let count = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) count++;
  return count;
}
