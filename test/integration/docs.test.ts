// Every console example of the README and docs/ is run against the binary and compared with what
// it shows (test/helpers/doc-examples.ts says how), so that an example cannot drift from the code.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { findConsoleBlocks, findFileBlocks, matchesExpected, normaliseOutput, outputLines } from "../helpers/doc-examples.ts";
import { BIN, Sandbox } from "../helpers/sandbox.ts";

const root = resolve(import.meta.dir, "../..");
const documents = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
/** The examples' working directory, as the documents show it. */
const SHOWN_DIR = "/tmp/demo";

for (const doc of documents) {
  const markdown = readFileSync(join(root, doc), "utf8");
  const blocks = findConsoleBlocks(doc, markdown);
  if (blocks.length === 0) continue;
  describe(`console examples of ${doc}`, () => {
    const box = new Sandbox();
    const cwd = join(box.dir, "demo");
    mkdirSync(cwd);
    for (const file of findFileBlocks(markdown)) writeFileSync(join(cwd, file.name), file.text);
    afterAll(() => box.dispose());
    for (const block of blocks) {
      test(`${doc}:${block.line}`, async () => {
        for (const { command, expected } of block.commands) {
          if (command === "") continue;
          const proc = Bun.spawn(["bash", "-c", `exec 2>&1\n${command}`], {
            cwd,
            env: { ...box.env, PATH: `${dirname(BIN)}:${process.env.PATH}` },
            stdin: "ignore",
            stdout: "pipe",
          });
          const [text] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
          const dirs = { [cwd]: SHOWN_DIR, [box.dir]: SHOWN_DIR };
          const actual = outputLines(normaliseOutput(text, dirs));
          const shown = expected.map((l) => normaliseOutput(l));
          if (!matchesExpected(shown, actual)) {
            // Both sides in full, so a failure says exactly which line drifted.
            expect({ command, printed: actual }).toEqual({ command, printed: shown });
          }
        }
      }, 120_000);
    }
  });
}
