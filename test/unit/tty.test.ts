// isTerminal tells a terminal from what agents connect stdout to, without node:tty for those.
import { expect, test } from "bun:test";
import { closeSync, mkdtempSync, openSync, rmSync } from "node:fs";
import { join } from "node:path";
import { isTerminal } from "../../src/cli/tty.ts";

test("a file, a pipe and /dev/null are not terminals", async () => {
  const dir = mkdtempSync("/tmp/ds-tty-");
  const file = openSync(join(dir, "f"), "w");
  const devNull = openSync("/dev/null", "w");
  const proc = Bun.spawn(["sleep", "5"], { stdout: "pipe" });
  try {
    expect(await isTerminal(file)).toBe(false);
    expect(await isTerminal(devNull)).toBe(false);
    expect(await isTerminal(12345)).toBe(false);
  } finally {
    closeSync(file);
    closeSync(devNull);
    proc.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a pseudo-terminal is one", async () => {
  // script(1) gives the child a PTY on stdout; the child prints what isTerminal says of fd 1.
  const module = JSON.stringify(join(import.meta.dir, "../../src/cli/tty.ts"));
  const code = `import { isTerminal } from ${module};\nprocess.stdout.write(String(await isTerminal(1)) + " " + String(await isTerminal(3)) + "\\n");\n`;
  const dir = mkdtempSync("/tmp/ds-tty-");
  const src = join(dir, "probe.ts");
  await Bun.write(src, code);
  try {
    const r = Bun.spawnSync(["script", "-qec", `${process.execPath} ${src} 3</dev/null`, "/dev/null"], { stdout: "pipe" });
    expect(r.stdout.toString()).toContain("true false");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
