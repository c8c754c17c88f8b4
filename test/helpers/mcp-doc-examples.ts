// The tool-call examples of docs/mcp.md: each is a ```json block holding {"name", "arguments"},
// followed by a ```json block with the result's structuredContent and a ```text block with its
// text content. Found in document order, so that a test can run them one after another through
// one server and compare.

export interface ToolExample {
  /** 1-based line of the call's opening fence. */
  line: number;
  call: { name: string; arguments: Record<string, unknown> };
  /** The structuredContent as the document shows it (one line of JSON). */
  structured: { line: number; text: string };
  /** The text content as the document shows it. */
  text: { line: number; text: string };
}

interface Fenced {
  line: number;
  lang: string;
  text: string;
}

function fencedBlocks(markdown: string): Fenced[] {
  const lines = markdown.split("\n");
  const out: Fenced[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    out.push({ line: start + 1, lang: open[1]!, text: body.join("\n") });
  }
  return out;
}

function asCall(block: Fenced): ToolExample["call"] | null {
  if (block.lang !== "json") return null;
  let value: unknown;
  try {
    value = JSON.parse(block.text);
  } catch {
    return null;
  }
  const v = value as Record<string, unknown>;
  if (typeof v !== "object" || v === null || typeof v.name !== "string" || typeof v.arguments !== "object" || Object.keys(v).length !== 2) return null;
  return v as ToolExample["call"];
}

/** Every tool-call example of the document, in order; throws when one lacks its two results. */
export function findToolExamples(markdown: string): ToolExample[] {
  const blocks = fencedBlocks(markdown);
  const examples: ToolExample[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const call = asCall(blocks[i]!);
    if (!call) continue;
    const structured = blocks[i + 1];
    const text = blocks[i + 2];
    if (structured?.lang !== "json" || text?.lang !== "text") {
      throw new Error(`line ${blocks[i]!.line}: a tool call must be followed by its structuredContent (json) and its text content (text)`);
    }
    examples.push({ line: blocks[i]!.line, call, structured: { line: structured.line, text: structured.text }, text: { line: text.line, text: text.text } });
    i += 2;
  }
  return examples;
}
