// Keeps the README-claims table of test/integration/readme-claims.test.ts from rotting: each
// claim it quotes must still be in README.md, and each test it names must still be in the file it
// names. Also checks the one claim that is a plain list: the README's error codes.
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ErrorCode } from "../../src/errors.ts";

const root = resolve(import.meta.dir, "../..");
const TABLE_FILE = "test/integration/readme-claims.test.ts";

interface Row {
  claim: string;
  file: string;
  name: string;
}

/** The rows between `// CLAIMS` and `// END CLAIMS`, header excluded. */
function readTable(source: string): Row[] {
  const start = source.indexOf("// CLAIMS");
  const end = source.indexOf("// END CLAIMS");
  if (start < 0 || end < start) throw new Error(`${TABLE_FILE} has no CLAIMS table`);
  const rows: Row[] = [];
  for (const line of source.slice(start, end).split("\n")) {
    if (!line.startsWith("// | ")) continue;
    const cells = line.slice("// | ".length, line.endsWith(" |") ? -2 : undefined).split(" | ");
    if (cells.length !== 3) throw new Error(`a table row must have three cells: ${line}`);
    const [claim, file, name] = cells.map((c) => c.trim()) as [string, string, string];
    if (claim === "claim") continue;
    rows.push({ claim, file, name });
  }
  return rows;
}

/** Line breaks and runs of spaces do not count: the README wraps its prose. */
function flatten(text: string): string {
  return text.replace(/\s+/g, " ");
}

const tableSource = readFileSync(join(root, TABLE_FILE), "utf8");
const rows = readTable(tableSource);
const readme = flatten(readFileSync(join(root, "README.md"), "utf8"));

describe("the README claims table", () => {
  test("has rows", () => {
    expect(rows.length).toBeGreaterThan(100);
  });

  test("each quoted claim is still in README.md", () => {
    const missing = rows.filter((r) => !readme.includes(flatten(r.claim))).map((r) => r.claim);
    expect(missing).toEqual([]);
  });

  test("each named test is still in the file it names", () => {
    const missing: string[] = [];
    for (const r of rows) {
      const path = join(root, r.file);
      if (!existsSync(path)) missing.push(`${r.file} (no such file)`);
      else if (!readFileSync(path, "utf8").includes(r.name)) missing.push(`${r.file}: ${r.name}`);
    }
    expect(missing).toEqual([]);
  });

  test("each test of readme-claims.test.ts is in the table", () => {
    const named = new Set(rows.filter((r) => r.file === TABLE_FILE).map((r) => r.name));
    const body = tableSource.slice(tableSource.indexOf("// END CLAIMS"));
    const titles = [...body.matchAll(/^\s*test(?:\.skipIf\([^)]*\))?\(\s*\n?\s*"([^"]+)"/gm)].map((m) => m[1]!);
    expect(titles.length).toBeGreaterThan(10);
    expect(titles.filter((t) => !named.has(t))).toEqual([]);
  });
});

test("the README's list of error codes is exactly the product's", () => {
  const list = /Error codes: (.*?)\. `exec` exits 125/.exec(readme);
  expect(list).not.toBeNull();
  const shown = [...list![1]!.matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]!);
  expect(shown.sort()).toEqual(Object.values(ErrorCode).sort());
});
