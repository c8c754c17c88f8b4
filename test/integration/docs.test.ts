// Every console example of the README and docs/ is run against the binary and compared with what
// it shows (test/helpers/doc-examples.ts says how), so that an example cannot drift from the code.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { findConsoleBlocks, findFileBlocks, runConsoleBlock } from "../helpers/doc-examples.ts";
import { BIN, Sandbox } from "../helpers/sandbox.ts";

const root = resolve(import.meta.dir, "../..");
/** docs/remote.md's examples need an ssh server: remote.test.ts runs them against its own. */
const documents = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md") && f !== "remote.md").map((f) => `docs/${f}`)];
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
        const env = { ...box.env, PATH: `${dirname(BIN)}:${process.env.PATH}` };
        const drift = await runConsoleBlock(block, { cwd, env, dirs: { [cwd]: SHOWN_DIR, [box.dir]: SHOWN_DIR } });
        // Both sides in full, so a failure says exactly which line drifted.
        if (drift) expect({ command: drift.command, printed: drift.printed }).toEqual({ command: drift.command, printed: drift.shown });
      }, 120_000);
    }
  });
}
