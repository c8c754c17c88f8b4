// BENCHMARKS.md sections that one group writes between its own markers (send, flood): a run of
// that group alone replaces its section and leaves the rest of the file as it is.

export function extractSection(existing: string | null, start: string, end: string): string {
  if (!existing) return "";
  const a = existing.indexOf(start);
  const b = existing.indexOf(end);
  return a === -1 || b < a ? "" : existing.slice(a, b + end.length);
}

/** `text` with the section between `start` and `end` replaced by `section`, or the section added
 *  before "How to reproduce" (or the history, or the end) when there is none yet. */
export function spliceSection(text: string, start: string, end: string, section: string): string {
  if (!section) return text;
  const old = extractSection(text, start, end);
  if (old) return text.replace(old, () => section);
  for (const anchor of ["\n## How to reproduce", "\n<!-- history:start"]) {
    const at = text.indexOf(anchor);
    if (at !== -1) return `${text.slice(0, at)}\n${section}\n${text.slice(at)}`;
  }
  return `${text.replace(/\n*$/, "\n\n")}${section}\n`;
}
