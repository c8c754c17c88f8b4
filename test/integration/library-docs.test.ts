// Every library example of the README and docs/ (a ```js block importing "delta-sessions", and
// the ```text block of what it prints) runs as its own program, in order, in Node and in Bun, and
// must print what the document shows (normalised as the console examples are).
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { findScriptExamples, matchesExpected, normaliseOutput, outputLines } from "../helpers/doc-examples.ts";
import { RUNTIMES, runScript } from "../helpers/library.ts";
import { Sandbox } from "../helpers/sandbox.ts";

const root = resolve(import.meta.dir, "../..");
const documents = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
/** The examples' working directory, as the documents show it. */
const SHOWN_DIR = "/tmp/demo";

for (const doc of documents) {
  const examples = findScriptExamples(doc, readFileSync(join(root, doc), "utf8"));
  if (examples.length === 0) continue;
  for (const runtime of RUNTIMES) {
    describe(`library examples of ${doc} in ${runtime}`, () => {
      const box = new Sandbox();
      const cwd = join(box.dir, "demo");
      mkdirSync(cwd);
      afterAll(() => box.dispose());
      for (const example of examples) {
        test(`${doc}:${example.line}`, async () => {
          const r = await runScript(box, runtime, example.source, { cwd });
          const dirs = { [cwd]: SHOWN_DIR, [box.dir]: SHOWN_DIR };
          const actual = outputLines(normaliseOutput(r.stdout + r.stderr, dirs));
          const shown = example.expected.map((l) => normaliseOutput(l));
          if (r.killed || !matchesExpected(shown, actual)) {
            expect({ example: example.line, killed: r.killed, printed: actual }).toEqual({ example: example.line, killed: false, printed: shown });
          }
        }, 120_000);
      }
    });
  }
}
