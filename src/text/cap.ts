// Capping output to a byte budget without cutting a UTF-8 character in two: the first bytes (a
// reader continues after them) or the last ones (the end of a command's output, where errors are).

export interface Capped {
  bytes: Uint8Array;
  /** Bytes left out (0 when everything fitted). */
  omitted: number;
}

const isContinuation = (b: number | undefined) => b !== undefined && (b & 0xc0) === 0x80;
/** Longest UTF-8 sequence: a cut never moves further than this to find a character boundary. */
const MAX_UTF8_BYTES = 4;

export function capHead(bytes: Uint8Array, max: number): Capped {
  if (bytes.length <= max) return { bytes, omitted: 0 };
  let end = max;
  for (let i = 0; i < MAX_UTF8_BYTES - 1 && end > 0 && isContinuation(bytes[end]); i++) end--;
  return { bytes: bytes.subarray(0, end), omitted: bytes.length - end };
}

export function capTail(bytes: Uint8Array, max: number): Capped {
  if (bytes.length <= max) return { bytes, omitted: 0 };
  let start = bytes.length - max;
  for (let i = 0; i < MAX_UTF8_BYTES - 1 && start < bytes.length && isContinuation(bytes[start]); i++) start++;
  return { bytes: bytes.subarray(start), omitted: start };
}
