// The short text a tool result carries next to its JSON document (structuredContent): what a model
// reads first. Output-bearing results show the output itself and one line of the other fields.

type Doc = Record<string, unknown>;

export function renderResult(tool: string, doc: Doc): string {
  if (tool === "screen") {
    const lines = doc.lines as string[];
    const cursor = doc.cursor as { row: number; col: number };
    const note = doc.truncated ? `, ${doc.omitted_lines} oldest lines left out` : "";
    return `${trimBlankTail(lines).join("\n")}\n[screen ${doc.cols}x${doc.rows}, cursor row ${cursor.row} col ${cursor.col}${doc.alternate_screen ? ", alternate screen" : ""}${note}]`;
  }
  if (typeof doc.output === "string") {
    const { output, screen, ...rest } = doc;
    const parts = [output as string];
    if (screen) parts.push(trimBlankTail((screen as { lines: string[] }).lines).join("\n"));
    parts.push(`[${summarize(rest)}]`);
    return parts.filter((p) => p !== "").join(output === "" || (output as string).endsWith("\n") ? "" : "\n");
  }
  return JSON.stringify(doc);
}

function summarize(doc: Doc): string {
  return Object.entries(doc)
    .filter(([k, v]) => v !== null && v !== undefined && (typeof v !== "object" || k === "steps"))
    .map(([k, v]) => (k === "steps" ? `steps: ${stepReasons(v)}` : `${k}: ${v}`))
    .join(", ");
}

/** A dialogue's steps in the summary line: how each ended, in order ("input input exit"). */
function stepReasons(steps: unknown): string {
  return (steps as Array<{ reason: string }>).map((s) => s.reason).join(" ");
}

function trimBlankTail(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1]!.trim() === "") end--;
  return lines.slice(0, end);
}
