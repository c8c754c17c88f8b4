// `--lines N`: the last N lines of a byte string, counted like `tail -n` (a final newline does not
// start an extra empty line). Works on bytes so invalid UTF-8 passes through untouched.

export function tailLines(bytes: Uint8Array, n: number): Uint8Array {
  if (n <= 0) return bytes.subarray(bytes.length);
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === 0x0a) end--;
  let count = 0;
  for (let i = end - 1; i >= 0; i--) {
    if (bytes[i] === 0x0a && ++count === n) return bytes.subarray(i + 1);
  }
  return bytes;
}
