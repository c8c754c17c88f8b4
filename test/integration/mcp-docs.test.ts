// Every tool-call example of docs/mcp.md runs, in order, through one real server (the SDK's own
// client over stdio, the compiled binary, its working directory shown as /tmp/demo), and its
// structuredContent and text content are compared with what the document shows. Ids, pids,
// times, offsets and the directory are normalised on both sides (test/helpers/doc-examples.ts).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { normaliseOutput } from "../helpers/doc-examples.ts";
import { McpSession } from "../helpers/mcp.ts";
import { findToolExamples } from "../helpers/mcp-doc-examples.ts";
import { Sandbox } from "../helpers/sandbox.ts";

const DOC = resolve(import.meta.dir, "../../docs/mcp.md");
/** The examples' working directory, as the document shows it. */
const SHOWN_DIR = "/tmp/demo";

const examples = findToolExamples(readFileSync(DOC, "utf8"));
let box: Sandbox;
let cwd: string;
let mcp: McpSession;

beforeAll(async () => {
  box = new Sandbox();
  cwd = join(box.dir, "demo");
  mkdirSync(cwd);
  mcp = await McpSession.open(box, [], { cwd });
});
afterAll(async () => {
  await mcp?.close();
  await box.dispose();
});

/** Trailing blanks are an editor's to keep or drop, not part of what an example shows. */
const trimLines = (text: string) => text.split("\n").map((l) => l.trimEnd()).join("\n").trimEnd();

test("docs/mcp.md has tool-call examples of every tool", () => {
  const names = new Set(examples.map((e) => e.call.name));
  for (const tool of ["start", "send", "write", "keys", "read", "screen", "exec", "wait", "list", "status", "resize", "end"]) expect(names.has(tool)).toBe(true);
});

test(
  "every tool-call example of docs/mcp.md gives what the document shows",
  async () => {
    const dirs = () => ({ [cwd]: SHOWN_DIR });
    for (const ex of examples) {
      const args = JSON.parse(JSON.stringify(ex.call.arguments).split(SHOWN_DIR).join(cwd));
      const r = await mcp.call(ex.call.name, args);
      const doc = r.structuredContent as Record<string, unknown>;
      if (ex.call.name === "start" && !r.isError) box.track(doc.pid as number, doc.holder_pid as number);
      const actual = {
        call: `docs/mcp.md:${ex.line} ${ex.call.name}`,
        structured: normaliseOutput(JSON.stringify(doc), dirs()),
        text: trimLines(normaliseOutput(r.content[0]!.text, dirs())),
      };
      const shown = { call: actual.call, structured: normaliseOutput(ex.structured.text.trim()), text: trimLines(normaliseOutput(ex.text.text)) };
      // Both sides in full, so a failure says exactly which example drifted.
      expect(actual).toEqual(shown);
    }
  },
  120_000,
);
