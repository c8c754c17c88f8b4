// docs/agents.md counts the calls of its four everyday jobs; the examples themselves are run by
// test/integration/docs.test.ts. This keeps the counts it states equal to the calls it shows.
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { findConsoleBlocks } from "../helpers/doc-examples.ts";

const doc = readFileSync(resolve(import.meta.dir, "../../docs/agents.md"), "utf8");
const section = doc.slice(doc.indexOf("## Four everyday jobs"));

test("each job's stated number of calls is the number of delta-sessions calls it shows, and the total too", () => {
  const jobs = section.split(/\n\*\*(?=[^*]+ — \d+ calls)/).slice(1);
  expect(jobs).toHaveLength(4);
  let total = 0;
  for (const job of jobs) {
    const stated = Number(/ — (\d+) calls/.exec(job)![1]);
    const shown = findConsoleBlocks("docs/agents.md", job).flatMap((b) => b.commands).filter((c) => c.command.startsWith("delta-sessions ") && !c.command.startsWith("delta-sessions list")).length;
    expect({ job: job.slice(0, 30), calls: shown }).toEqual({ job: job.slice(0, 30), calls: stated });
    total += stated;
  }
  expect(Number(/\*\*(\d+) calls\*\* in all/.exec(section)![1])).toBe(total);
  expect(total).toBeLessThanOrEqual(12);
});
