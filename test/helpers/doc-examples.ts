// The console examples of the README and docs/: found, normalised and compared, so that a test can
// run every one against the binary and fail when an example drifts from what the code prints.
//
// An example is a ```console block. Lines starting with "$ " are commands (run by bash, in order,
// in one sandbox per document, so sessions carry over from block to block); the lines after a
// command, up to the next "$ ", are what it prints. In the expected text "…" stands for any text
// within a line, and a line that is only "…" for any number of lines. Ids, pids, offsets, times,
// paths and the shell's version in its prompt are normalised on both sides.
//
// A file the examples use is shown as a fenced block whose info string names it after the language
// (```python install.py): it is written into the examples' directory before they run.

export interface ConsoleCommand {
  /** The command line as bash runs it (a trailing "# comment" is bash's to ignore). */
  command: string;
  expected: string[];
}

export interface ConsoleBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  commands: ConsoleCommand[];
}

const FENCE_OPEN = /^```console\s*$/;
const FENCE_CLOSE = /^```\s*$/;

/** Every ```console block of a Markdown text. */
export function findConsoleBlocks(file: string, markdown: string): ConsoleBlock[] {
  const lines = markdown.split("\n");
  const blocks: ConsoleBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!FENCE_OPEN.test(lines[i]!)) continue;
    const block: ConsoleBlock = { file, line: i + 1, commands: [] };
    for (i++; i < lines.length && !FENCE_CLOSE.test(lines[i]!); i++) {
      const text = lines[i]!;
      if (text.startsWith("$ ")) block.commands.push({ command: text.slice(2), expected: [] });
      else if (text === "$") block.commands.push({ command: "", expected: [] });
      else if (block.commands.length > 0) block.commands[block.commands.length - 1]!.expected.push(text);
      else throw new Error(`${file}:${i + 1}: a console block must start with a "$ " command line`);
    }
    blocks.push(block);
  }
  return blocks;
}

export interface FileBlock {
  name: string;
  text: string;
}

const FILE_FENCE = /^```\w+ ([A-Za-z0-9][A-Za-z0-9._-]*)\s*$/;

/** Every file block of a Markdown text (```LANG NAME), in order. */
export function findFileBlocks(markdown: string): FileBlock[] {
  const lines = markdown.split("\n");
  const files: FileBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FILE_FENCE.exec(lines[i]!);
    if (!open) continue;
    const body: string[] = [];
    for (i++; i < lines.length && !FENCE_CLOSE.test(lines[i]!); i++) body.push(lines[i]!);
    files.push({ name: open[1]!, text: body.join("\n") + "\n" });
  }
  return files;
}

const NUMBER_KEYS = ["pid", "holder_pid", "offset", "next_offset", "duration_ms", "uptime_seconds", "output_bytes", "unread_bytes", "bytes_per_second"];

/** Makes what differs from run to run the same on both sides. */
export function normaliseOutput(text: string, dirs: Record<string, string> = {}): string {
  let out = text;
  for (const [dir, stands] of Object.entries(dirs)) if (dir) out = out.split(dir).join(stands);
  out = out.replace(/sess_[0-9a-f]{12}/g, "sess_ID");
  out = out.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, "TIME");
  for (const key of NUMBER_KEYS) {
    out = out.replace(new RegExp(`"${key}":\\d+(\\.\\d+)?`, "g"), `"${key}":N`);
    // The MCP tools' text content: "key: value" (a word boundary keeps offset out of next_offset).
    out = out.replace(new RegExp(`\\b${key}: \\d+(\\.\\d+)?`, "g"), `${key}: N`);
  }
  out = out.replace(/"cwd":"[^"]*"/g, '"cwd":"DIR"');
  out = out.replace(/bash-\d+\.\d+[#$]/g, "bash-V$");
  return out;
}

/** Whether the printed lines match the expected ones ("…" as described above). */
export function matchesExpected(expected: string[], actual: string[]): boolean {
  const pattern = expected.map(linePattern);
  return matchFrom(pattern, 0, actual, 0, new Map());
}

type LinePattern = RegExp | "any-lines";

function linePattern(line: string): LinePattern {
  if (line.trim() === "…") return "any-lines";
  const parts = line.trimEnd().split("…").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join(".*?")}$`, "s");
}

function matchFrom(p: LinePattern[], i: number, a: string[], j: number, memo: Map<string, boolean>): boolean {
  const key = `${i},${j}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  let ok: boolean;
  if (i === p.length) ok = j === a.length;
  else if (p[i] === "any-lines") ok = matchFrom(p, i + 1, a, j, memo) || (j < a.length && matchFrom(p, i, a, j + 1, memo));
  else ok = j < a.length && (p[i] as RegExp).test(a[j]!.trimEnd()) && matchFrom(p, i + 1, a, j + 1, memo);
  memo.set(key, ok);
  return ok;
}

/** The printed text as lines, without the final newline's empty line. */
export function outputLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** A library example: a ```js block that imports "delta-sessions", and the ```text block after it
 *  (what it prints; none: it prints nothing). */
export interface ScriptExample {
  file: string;
  line: number;
  source: string;
  expected: string[];
}

const JS_OPEN = /^```(js|javascript|ts|typescript)\s*$/;
const TEXT_OPEN = /^```text\s*$/;

/** Every library example of a Markdown text, in order. */
export function findScriptExamples(file: string, markdown: string): ScriptExample[] {
  const lines = markdown.split("\n");
  const examples: ScriptExample[] = [];
  const fenced = (from: number): { body: string[]; end: number } => {
    const body: string[] = [];
    let i = from + 1;
    for (; i < lines.length && !FENCE_CLOSE.test(lines[i]!); i++) body.push(lines[i]!);
    return { body, end: i };
  };
  for (let i = 0; i < lines.length; i++) {
    if (!JS_OPEN.test(lines[i]!)) continue;
    const code = fenced(i);
    const line = i + 1;
    i = code.end;
    const source = code.body.join("\n");
    if (!source.includes(`from "delta-sessions"`)) continue;
    let next = i + 1;
    while (next < lines.length && lines[next]!.trim() === "") next++;
    let expected: string[] = [];
    if (next < lines.length && TEXT_OPEN.test(lines[next]!)) {
      const out = fenced(next);
      expected = out.body;
      i = out.end;
    }
    examples.push({ file, line, source, expected });
  }
  return examples;
}

/**
 * Runs a block's commands in order (bash, stderr merged into stdout, in `cwd` with `env`) and
 * compares each one's output with what the block shows; `dirs` are replaced by what the document
 * shows for them. Returns the first command whose output differs, with both sides, or null.
 */
export async function runConsoleBlock(
  block: ConsoleBlock,
  opts: { cwd: string; env: Record<string, string>; dirs: Record<string, string> },
): Promise<{ command: string; printed: string[]; shown: string[] } | null> {
  for (const { command, expected } of block.commands) {
    if (command === "") continue;
    const proc = Bun.spawn(["bash", "-c", `exec 2>&1\n${command}`], { cwd: opts.cwd, env: opts.env, stdin: "ignore", stdout: "pipe" });
    const [text] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
    const printed = outputLines(normaliseOutput(text, opts.dirs));
    const shown = expected.map((l) => normaliseOutput(l));
    if (!matchesExpected(shown, printed)) return { command, printed, shown };
  }
  return null;
}
