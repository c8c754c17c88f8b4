// The server's limits on one tool call: how long it may wait (below common client request
// timeouts, so that a wait ends with reason "timeout" and the output so far instead of being cut
// off by the client) and how much output one result may carry.

export interface Limits {
  maxWaitMs: number;
  maxOutputBytes: number;
}

/** The wait a call gets: what it asked for (else `fallback`, else the maximum), never above the maximum. */
export function clampWait(limits: Limits, requested: number | undefined, fallback?: number): number {
  return Math.min(requested ?? fallback ?? limits.maxWaitMs, limits.maxWaitMs);
}

/**
 * Fits screen lines into the output budget by leaving out the oldest: scrollback first, then the
 * top of the screen. Returns how many lines were left out.
 */
export function capLines(lines: string[], maxBytes: number): { lines: string[]; omitted: number } {
  let total = 0;
  let keepFrom = lines.length;
  while (keepFrom > 0) {
    const size = Buffer.byteLength(lines[keepFrom - 1]!) + 1;
    if (total + size > maxBytes) break;
    total += size;
    keepFrom--;
  }
  return { lines: keepFrom === 0 ? lines : lines.slice(keepFrom), omitted: keepFrom };
}
