// The layers' boundaries (docs/architecture.md): the client side (src/client, src/cli, src/lib, src/serve) and the
// holder (src/holder) never import each other; what both need lives in shared modules, the wire
// and the launch contract in src/protocol. Every import form counts: static, type-only,
// re-exports and dynamic import().
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const SRC = resolve(import.meta.dir, "../../src");

/** Layer of a file under src/ by its top directory; null for the shared modules. */
function layerOf(file: string): "client" | "holder" | null {
  const top = relative(SRC, file).split("/")[0];
  if (top === "client" || top === "cli" || top === "lib" || top === "serve") return "client";
  if (top === "holder") return "holder";
  return null;
}

/** Comments blanked out (strings kept), so commented-out imports do not count and real ones are not hidden. */
function stripComments(code: string): string {
  return code.replace(/("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m, str) => (str ? m : " "));
}

/** Every module specifier a TypeScript source imports, re-exports or loads with import(). */
export function importedSpecifiers(code: string): string[] {
  const text = stripComments(code);
  const found: string[] = [];
  const patterns = [
    /(?:^|[;\s])import\s+(?:type\s+)?[\w*${},\s]*?\s*from\s*["']([^"']+)["']/g,
    /(?:^|[;\s])import\s*["']([^"']+)["']/g,
    /(?:^|[;\s])export\s+(?:type\s+)?(?:\*(?:\s+as\s+\w+)?|\{[^}]*\})\s*from\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) found.push(m[1]!);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith(".ts") ? [path] : [];
  });
}

function violations(file: string, code: string): string[] {
  const from = layerOf(file);
  if (from === null) return [];
  const out: string[] = [];
  for (const spec of importedSpecifiers(code)) {
    if (!spec.startsWith(".")) continue;
    const target = resolve(dirname(file), spec);
    const to = layerOf(target);
    if (to !== null && to !== from) out.push(`${relative(SRC, file)} imports ${relative(SRC, target)}`);
  }
  return out;
}

describe("import boundaries", () => {
  const files = sourceFiles(SRC);

  test("src/client and src/cli never import src/holder, and src/holder never imports them", () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap((f) => violations(f, readFileSync(f, "utf8")))).toEqual([]);
  });

  test("the scanner sees every import Bun's own scanner sees (runtime imports)", () => {
    const transpiler = new Bun.Transpiler({ loader: "ts" });
    for (const f of files) {
      const code = readFileSync(f, "utf8");
      const ours = new Set(importedSpecifiers(code));
      const missed = transpiler.scanImports(code).map((i) => i.path).filter((p) => !ours.has(p));
      expect({ file: relative(SRC, f), missed }).toEqual({ file: relative(SRC, f), missed: [] });
    }
  });

  const cases: Array<[string, string, string[]]> = [
    ["static", `import { a } from "../holder/x.ts";`, ["client/y.ts imports holder/x.ts"]],
    ["type-only", `import type { Size } from "../holder/attach/size-policy.ts";`, ["client/y.ts imports holder/attach/size-policy.ts"]],
    ["multi-line", `import {\n  a,\n  b,\n} from "../holder/x.ts";`, ["client/y.ts imports holder/x.ts"]],
    ["re-export", `export { a } from "../holder/x.ts";\nexport * from "../holder/z.ts";`, ["client/y.ts imports holder/x.ts", "client/y.ts imports holder/z.ts"]],
    ["dynamic", `const m = await import("../holder/x.ts");`, ["client/y.ts imports holder/x.ts"]],
    ["side effect", `import "../holder/x.ts";`, ["client/y.ts imports holder/x.ts"]],
    ["cli to holder", `import { a } from "../../holder/x.ts";`, ["client/y.ts imports holder/x.ts"]],
    ["shared module", `import { a } from "../protocol/launch.ts";`, []],
    ["commented out", `// import { a } from "../holder/x.ts";\n/* import("../holder/x.ts") */`, []],
    ["in a string", `const s = "import { a } from '../holder/x.ts'";`, []],
  ];
  for (const [name, code, expected] of cases) {
    test(`client-side file, ${name}`, () => {
      const file = name === "cli to holder" ? join(SRC, "client/attach/y.ts") : join(SRC, "client/y.ts");
      const got = violations(file, code).map((v) => v.replace("client/attach/y.ts", "client/y.ts"));
      expect(got).toEqual(expected);
    });
  }

  test("holder-side file importing the client or the cli", () => {
    const file = join(SRC, "holder/handlers/x.ts");
    expect(violations(file, `import { a } from "../../client/session.ts";\nconst b = import("../../cli/run.ts");`)).toEqual([
      "holder/handlers/x.ts imports client/session.ts",
      "holder/handlers/x.ts imports cli/run.ts",
    ]);
  });
});
