// Summary statistics for benchmark samples.

export interface Stats {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function summarize(samples: number[]): Stats {
  if (samples.length === 0) throw new Error("no samples");
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]!, runs: s.length };
}

/** Rounds for display: 2 decimals under 10, 1 under 100, none above. */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return "–";
  const a = Math.abs(n);
  return a < 10 ? n.toFixed(2) : a < 100 ? n.toFixed(1) : n.toFixed(0);
}

/** The p-th percentile (0–100) by the nearest-rank method: a value that was actually measured. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) throw new Error("no samples");
  const s = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length, Math.max(1, rank)) - 1]!;
}
