// Options (SPEC §3a "Options (turn 2)"): --help and --version work before or after the command
// name; a single-value option given twice is a usage error; exec, like start, reads its options
// only before COMMAND, so the command's own flags reach it.
import { afterAll, describe, expect, test } from "bun:test";
import { Sandbox } from "../helpers/sandbox.ts";

const sb = new Sandbox();
afterAll(() => sb.dispose());

describe("--help and --version after the command name", () => {
  for (const command of ["list", "read", "status", "cleanup", "write-key", "exec", "start", "end"]) {
    test(`${command} --version prints the version`, async () => {
      const r = await sb.run([command, "--version"]);
      expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: expect.stringMatching(/^delta-sessions \d+\.\d+\.\d+/) });
    });
    test(`${command} --help prints the command's help`, async () => {
      const r = await sb.run([command, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toStartWith(`delta-sessions ${command} — `);
    });
  }

  test("read ID --help and read ID -V, after the positional", async () => {
    expect((await sb.run(["read", "anything", "--help"])).stdout).toStartWith("delta-sessions read — ");
    expect((await sb.run(["read", "anything", "-V"])).stdout).toMatch(/^delta-sessions \d/);
  });

  test("--version after start's CMD is the program's", async () => {
    const s = await sb.start(["python3", "--version"]);
    const w = await sb.run(["wait", s.session_id, "--timeout", "20000"]);
    expect(w.json.exit_code).toBe(0);
    const r = await sb.run(["read", s.session_id, "--all", "--strip-ansi"]);
    expect(r.stdout).toMatch(/^Python 3\./);
  });
});

describe("a single-value option given twice is a usage error", () => {
  const cases: Array<[string, string[]]> = [
    ["start --name a --name b", ["start", "--name", "a", "--name", "b", "true"]],
    ["read --timeout twice", ["read", "x", "--timeout", "1", "--timeout=2"]],
    ["--sessions-dir before and after the command", ["--sessions-dir", "/nonexistent-a", "list", "--sessions-dir", "/nonexistent-b"]],
    ["end --signal twice", ["end", "x", "--signal", "TERM", "--signal", "KILL"]],
  ];
  for (const [label, args] of cases) {
    test(label, async () => {
      const r = await sb.run(args);
      expect({ code: r.code, error: r.json.code }).toEqual({ code: 2, error: "USAGE" });
      expect(r.stderr).toMatch(/given more than once/);
    });
  }

  test("repeatable options still repeat (start --env)", async () => {
    const s = await sb.start(["--env", "A=1", "--env", "B=2", "/bin/sh", "-c", 'echo "$A$B"']);
    await sb.run(["wait", s.session_id, "--timeout", "20000"]);
    expect((await sb.run(["read", s.session_id, "--all", "--strip-ansi"])).stdout).toBe("12\n");
  });

  test("boolean flags may repeat harmlessly", async () => {
    expect((await sb.run(["list", "--json", "--json"])).code).toBe(0);
  });
});

describe("exec reads its options only before COMMAND", () => {
  test("exec ID echo -h runs `echo -h`; exec ID --timeout … before COMMAND still works", async () => {
    const s = await sb.start(["bash", "--norc", "--noprofile"]);
    const a = await sb.run(["exec", s.session_id, "echo", "-h", "--timeout", "5"]);
    expect({ code: a.code, stdout: a.stdout }).toEqual({ code: 0, stdout: "-h --timeout 5\n" });
    const b = await sb.run(["exec", "--timeout", "20000", s.session_id, "echo", "--json"]);
    expect({ code: b.code, stdout: b.stdout }).toEqual({ code: 0, stdout: "--json\n" });
    const c = await sb.run(["exec", s.session_id, "--json", "printf", "%s", "x"]);
    expect({ code: c.code, doc: c.json }).toMatchObject({ code: 0, doc: { output: "x", exit_code: 0 } });
  });
});

describe("every command prints JSON when stdout is not a terminal", () => {
  test("write-key --list prints the key table as JSON through a pipe", async () => {
    for (const args of [["write-key", "--list"], ["keys", "--list"], ["write-key", "--list", "--json"]]) {
      const r = await sb.run(args);
      expect(r.code).toBe(0);
      const table = r.json as Array<{ name: string; bytes: string; aliases: string[] }>;
      expect(table.find((k) => k.name === "enter")).toMatchObject({ name: "enter" });
      expect(table.length).toBeGreaterThan(40);
    }
  });
});

describe("README troubleshooting: BUN_BE_BUN and BUN_OPTIONS are read by Bun before delta-sessions runs", () => {
  // The binary cannot protect itself (Bun checks them at process start); the README says so. If a
  // Bun release lets a compiled executable ignore them, this test fails and the README must change.
  test("with BUN_BE_BUN=1 or BUN_OPTIONS=--version the binary answers as Bun; unset, as delta-sessions", async () => {
    for (const env of [{ BUN_BE_BUN: "1" }, { BUN_OPTIONS: "--version" }]) {
      const r = await sb.run(["--version"], { env });
      expect({ env, code: r.code, isBun: /^\d+\.\d+\.\d+/.test(r.stdout) }).toEqual({ env, code: 0, isBun: true });
    }
    const clean = await sb.run(["--version"], { env: { BUN_BE_BUN: undefined, BUN_OPTIONS: undefined } });
    expect(clean.stdout).toStartWith("delta-sessions ");
  });
});
