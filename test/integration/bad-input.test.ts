// Bad input to the command line (docs/reliability.md, "Bad input"): every command with missing,
// extra or malformed arguments gets a clear message on stderr, exactly one error document with the
// right code on stdout, the right exit code (2 for anything wrong with the command line), and
// creates nothing — no sessions directory, no runtime directory, no session.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { BIN, Sandbox } from "../helpers/sandbox.ts";

const LONG = "a".repeat(1000);
const BAD_IDS: Array<[label: string, id: string]> = [
  ["path traversal", "../x"],
  ["id with a slash", "sess_/x"],
  ["empty", ""],
  ["1000 characters", LONG],
  ["absolute path", "/etc/passwd"],
  ["dot", "."],
  ["dot dot", ".."],
  ["hidden name", ".names"],
  ["newline", "a\nb"],
  ["control character", "a\x01b"],
  ["space", "a b"],
  ["non-ASCII", "sessé"],
  ["65-character name", "b".repeat(65)],
];
const ID_COMMANDS: string[][] = [["status"], ["read"], ["write", "x"], ["write-key", "enter"], ["keys", "enter"], ["wait"], ["resize", "80", "24"], ["end"]];

type Case = { args: string[]; exit: number; code: string; stderr?: RegExp; env?: Record<string, string | undefined> };

const cases: Record<string, Case> = {
  "no command at all": { args: [], exit: 2, code: "USAGE", stderr: /no command given/ },
  "unknown command": { args: ["frobnicate"], exit: 2, code: "USAGE", stderr: /unknown command "frobnicate"/ },
  "unknown global option": { args: ["--frob", "list"], exit: 2, code: "USAGE", stderr: /unknown option --frob/ },
  "help for an unknown command": { args: ["help", "frobnicate"], exit: 2, code: "USAGE", stderr: /unknown command/ },
  "--sessions-dir without a value": { args: ["--sessions-dir"], exit: 2, code: "USAGE", stderr: /needs a value/ },
  "--sessions-dir empty": { args: ["--sessions-dir", "", "list"], exit: 2, code: "INVALID_ARGUMENT", stderr: /must not be empty/ },
  "$DELTA_SESSIONS_DIR empty": { args: ["list"], exit: 2, code: "INVALID_ARGUMENT", stderr: /must not be empty/, env: { DELTA_SESSIONS_DIR: "" } },
  // Missing arguments.
  "status without ID": { args: ["status"], exit: 2, code: "USAGE", stderr: /needs a session ID/ },
  "read without ID": { args: ["read"], exit: 2, code: "USAGE", stderr: /needs a session ID/ },
  "write without ID": { args: ["write"], exit: 2, code: "USAGE", stderr: /needs a session ID/ },
  "write-key without ID": { args: ["write-key"], exit: 2, code: "USAGE", stderr: /needs a session ID/ },
  "write-key without KEY": { args: ["write-key", "x"], exit: 2, code: "USAGE", stderr: /at least one KEY/ },
  "wait without ID": { args: ["wait"], exit: 2, code: "USAGE", stderr: /needs a session ID/ },
  "resize without sizes": { args: ["resize", "x"], exit: 2, code: "USAGE", stderr: /ID COLS ROWS/ },
  "resize without ROWS": { args: ["resize", "x", "80"], exit: 2, code: "USAGE", stderr: /ID COLS ROWS/ },
  "end without ID": { args: ["end"], exit: 2, code: "USAGE", stderr: /needs a session ID/ },
  "option value missing": { args: ["read", "x", "--timeout"], exit: 2, code: "USAGE", stderr: /--timeout needs a value/ },
  "start --name without value": { args: ["start", "--name"], exit: 2, code: "USAGE", stderr: /--name needs a value/ },
  "start --env without value": { args: ["start", "--env"], exit: 2, code: "USAGE", stderr: /--env needs a value/ },
  // Extra arguments.
  "status with two IDs": { args: ["status", "a", "b"], exit: 2, code: "USAGE", stderr: /extra arguments: b/ },
  "read with two IDs": { args: ["read", "a", "b"], exit: 2, code: "USAGE", stderr: /extra arguments: b/ },
  "wait with two IDs": { args: ["wait", "a", "b"], exit: 2, code: "USAGE", stderr: /extra arguments: b/ },
  "end with a malformed second ID": { args: ["end", "a", "../x"], exit: 2, code: "INVALID_ARGUMENT", stderr: /invalid session id or name "\.\.\/x"/ },
  "end --all with an ID": { args: ["end", "--all", "a"], exit: 2, code: "USAGE", stderr: /takes no session ID/ },
  "resize with four arguments": { args: ["resize", "a", "80", "24", "1"], exit: 2, code: "USAGE", stderr: /extra arguments: 1/ },
  "list with an argument": { args: ["list", "x"], exit: 2, code: "USAGE", stderr: /takes no arguments/ },
  "cleanup with an argument": { args: ["cleanup", "x"], exit: 2, code: "USAGE", stderr: /takes no arguments/ },
  // Unknown options and keys.
  "unknown option": { args: ["read", "x", "--frob"], exit: 2, code: "USAGE", stderr: /unknown option --frob/ },
  "unknown short option": { args: ["status", "-x"], exit: 2, code: "USAGE", stderr: /unknown option -x/ },
  "unknown option before CMD": { args: ["start", "--frob", "sleep", "1"], exit: 2, code: "USAGE", stderr: /unknown option --frob/ },
  "boolean option with a value": { args: ["read", "x", "--peek=1"], exit: 2, code: "USAGE", stderr: /takes no value/ },
  "unknown key": { args: ["write-key", "x", "enter", "nosuchkey"], exit: 2, code: "INVALID_KEY", stderr: /unknown key "nosuchkey"/ },
  "empty key": { args: ["write-key", "x", ""], exit: 2, code: "INVALID_KEY", stderr: /empty/ },
  "modifier without key": { args: ["write-key", "x", "ctrl+"], exit: 2, code: "INVALID_KEY", stderr: /unknown key/ },
  "tmux modifier without key": { args: ["write-key", "x", "C-"], exit: 2, code: "INVALID_KEY", stderr: /unknown key/ },
  "1000-character key": { args: ["write-key", "x", LONG], exit: 2, code: "INVALID_KEY", stderr: /unknown key/ },
  "unknown signal": { args: ["end", "x", "--signal", "NOPE"], exit: 2, code: "INVALID_ARGUMENT", stderr: /unknown signal "NOPE"/ },
  "signal 0": { args: ["end", "x", "--signal", "0"], exit: 2, code: "INVALID_ARGUMENT", stderr: /unknown signal/ },
  "negative signal": { args: ["end", "x", "--signal", "-9"], exit: 2, code: "INVALID_ARGUMENT", stderr: /unknown signal/ },
  "signal 999": { args: ["end", "x", "--signal", "999"], exit: 2, code: "INVALID_ARGUMENT", stderr: /unknown signal/ },
  // Malformed numbers: negative, huge, fractional, hex, exponent, empty, words.
  "--since negative": { args: ["read", "x", "--since", "-1"], exit: 2, code: "INVALID_ARGUMENT", stderr: /--since must be between/ },
  "--since huge": { args: ["read", "x", "--since", "99999999999999999999"], exit: 2, code: "INVALID_ARGUMENT", stderr: /--since must be between/ },
  "--since fractional": { args: ["read", "x", "--since", "1.5"], exit: 2, code: "INVALID_ARGUMENT", stderr: /must be an integer/ },
  "--since hex": { args: ["read", "x", "--since", "0x10"], exit: 2, code: "INVALID_ARGUMENT", stderr: /must be an integer/ },
  "--since empty": { args: ["read", "x", "--since="], exit: 2, code: "INVALID_ARGUMENT", stderr: /must be an integer/ },
  "--timeout exponent": { args: ["read", "x", "--timeout", "1e3"], exit: 2, code: "INVALID_ARGUMENT", stderr: /must be an integer/ },
  "--timeout negative": { args: ["read", "x", "--timeout", "-1"], exit: 2, code: "INVALID_ARGUMENT", stderr: /must be between/ },
  "--timeout beyond a timer": { args: ["read", "x", "--timeout", "2147483648"], exit: 2, code: "INVALID_ARGUMENT", stderr: /must be between 0 and 2147483647/ },
  "--idle word": { args: ["read", "x", "--idle", "soon"], exit: 2, code: "INVALID_ARGUMENT", stderr: /must be an integer/ },
  "--lines negative": { args: ["read", "x", "--lines", "-3"], exit: 2, code: "INVALID_ARGUMENT", stderr: /must be between/ },
  "--scrollback negative": { args: ["read", "x", "--screen", "--scrollback", "-1"], exit: 2, code: "INVALID_ARGUMENT", stderr: /must be between/ },
  "wait --timeout huge": { args: ["wait", "x", "--timeout", "1".repeat(40)], exit: 2, code: "INVALID_ARGUMENT", stderr: /must be between/ },
  "end --grace negative": { args: ["end", "x", "--grace", "-1"], exit: 2, code: "INVALID_ARGUMENT", stderr: /must be between/ },
  "resize COLS zero": { args: ["resize", "x", "0", "24"], exit: 2, code: "INVALID_ARGUMENT", stderr: /COLS must be between 1 and 1000/ },
  "resize COLS huge": { args: ["resize", "x", "100000", "24"], exit: 2, code: "INVALID_ARGUMENT", stderr: /COLS must be between 1 and 1000/ },
  "resize ROWS negative (read as an option)": { args: ["resize", "x", "80", "-24"], exit: 2, code: "USAGE", stderr: /unknown option -24/ },
  "resize ROWS negative after --": { args: ["resize", "x", "80", "--", "-24"], exit: 2, code: "INVALID_ARGUMENT", stderr: /ROWS must be between/ },
  "resize ROWS word": { args: ["resize", "x", "80", "tall"], exit: 2, code: "INVALID_ARGUMENT", stderr: /ROWS must be an integer/ },
  "start --cols zero": { args: ["start", "--cols", "0", "sleep", "1"], exit: 2, code: "INVALID_ARGUMENT", stderr: /--cols must be between/ },
  "start --rows huge": { args: ["start", "--rows", "1001", "sleep", "1"], exit: 2, code: "INVALID_ARGUMENT", stderr: /--rows must be between/ },
  "start --buffer-size too small": { args: ["start", "--buffer-size", "1023", "sleep", "1"], exit: 2, code: "INVALID_ARGUMENT", stderr: /--buffer-size must be between/ },
  "start --buffer-size too large": { args: ["start", "--buffer-size", "1073741825", "sleep", "1"], exit: 2, code: "INVALID_ARGUMENT", stderr: /--buffer-size must be between/ },
  // Invalid regular expressions.
  "--until unbalanced": { args: ["read", "x", "--until", "("], exit: 2, code: "INVALID_ARGUMENT", stderr: /invalid regular expression/ },
  "--until bad class": { args: ["read", "x", "--until", "[z-a]"], exit: 2, code: "INVALID_ARGUMENT", stderr: /invalid regular expression/ },
  "--until bad quantifier": { args: ["read", "x", "--until", "a{2,1}"], exit: 2, code: "INVALID_ARGUMENT", stderr: /invalid regular expression/ },
  // Combinations that make no sense.
  "--since with --all": { args: ["read", "x", "--since", "1", "--all"], exit: 2, code: "USAGE", stderr: /cannot be combined/ },
  "--follow with --json": { args: ["read", "x", "--follow", "--json"], exit: 2, code: "USAGE", stderr: /cannot be combined/ },
  "--screen with --since": { args: ["read", "x", "--screen", "--since", "1"], exit: 2, code: "USAGE", stderr: /--screen/ },
  "--scrollback without --screen": { args: ["read", "x", "--scrollback", "3"], exit: 2, code: "USAGE", stderr: /goes with --screen/ },
  // start's own values.
  "name with a slash": { args: ["start", "--name", "../x", "sleep", "1"], exit: 2, code: "INVALID_ARGUMENT", stderr: /invalid name/ },
  "empty name": { args: ["start", "--name", "", "sleep", "1"], exit: 2, code: "INVALID_ARGUMENT", stderr: /invalid name/ },
  "65-character name": { args: ["start", "--name", "n".repeat(65), "sleep", "1"], exit: 2, code: "INVALID_ARGUMENT", stderr: /invalid name/ },
  "1000-character name": { args: ["start", "--name", LONG, "sleep", "1"], exit: 2, code: "INVALID_ARGUMENT", stderr: /invalid name/ },
  "name that looks like an id": { args: ["start", "--name", "sess_0123456789ab", "sleep", "1"], exit: 2, code: "INVALID_ARGUMENT", stderr: /must not look like a session id/ },
  "--env without =": { args: ["start", "--env", "FOO", "sleep", "1"], exit: 2, code: "INVALID_ARGUMENT", stderr: /K=V/ },
  "--env without name": { args: ["start", "--env", "=x", "sleep", "1"], exit: 2, code: "INVALID_ARGUMENT", stderr: /K=V/ },
  "--env bad name": { args: ["start", "--env", "1A=b", "sleep", "1"], exit: 2, code: "INVALID_ARGUMENT", stderr: /invalid variable name/ },
  "empty command": { args: ["start", ""], exit: 2, code: "INVALID_ARGUMENT", stderr: /must not be empty/ },
  "--cwd that does not exist": { args: ["start", "--cwd", "/nonexistent/dir", "sleep", "1"], exit: 2, code: "INVALID_ARGUMENT", stderr: /not a directory/ },
  // Runtime conditions (exit 1) that must still create nothing.
  "command not found": { args: ["start", "no-such-command-4242"], exit: 1, code: "COMMAND_NOT_FOUND", stderr: /command not found/ },
  "command path not executable": { args: ["start", "/etc/passwd"], exit: 1, code: "COMMAND_NOT_FOUND", stderr: /not executable/ },
};
for (const [label, id] of BAD_IDS) {
  for (const [cmd, ...rest] of ID_COMMANDS) {
    cases[`${cmd} with ID: ${label}`] = { args: [cmd!, id, ...rest], exit: 2, code: "INVALID_ARGUMENT", stderr: /invalid session id or name/ };
  }
}

describe("bad input to the command line", () => {
  const box = new Sandbox();
  afterAll(() => box.dispose());

  for (const [label, c] of Object.entries(cases)) {
    test(label, async () => {
      const r = await box.run(c.args, { env: c.env });
      expect(r.code).toBe(c.exit);
      // Exactly one JSON document on stdout, the error and its code.
      expect(r.stdout.endsWith("\n")).toBe(true);
      expect(r.stdout.trimEnd().split("\n").length).toBe(1);
      expect(r.json).toEqual({ error: expect.any(String), code: c.code });
      // A human message on stderr that says what is wrong.
      const message = r.stderr.split("\n").find((l) => l.startsWith("delta-sessions: "));
      expect(message).toBeDefined();
      if (c.stderr) expect(message).toMatch(c.stderr);
      // Long input is shortened in messages, never echoed whole.
      expect(message!.length).toBeLessThan(600);
      // Nothing was created.
      expect(existsSync(box.sessionsDir)).toBe(false);
      expect(existsSync(box.runtimeDir)).toBe(false);
      expect(existsSync(join(box.dir, ".sessions"))).toBe(false);
    });
  }

  test("exit codes follow SPEC §3: 2 for the command line, 1 for runtime conditions", () => {
    for (const c of Object.values(cases)) expect(c.exit).toBe(["USAGE", "INVALID_ARGUMENT", "INVALID_KEY"].includes(c.code) ? 2 : 1);
  });

  test("argv cannot carry NUL: the operating system refuses to pass it, so no ID ever contains one", () => {
    expect(() => Bun.spawnSync([BIN, "status", "a\0b"])).toThrow();
  });
});

describe("bad input aimed at a live session changes nothing in it", () => {
  const box = new Sandbox();
  afterAll(() => box.dispose());

  test("invalid keys, sizes, patterns, signals and offsets leave the session as it was", async () => {
    const s = await box.start(["cat"], { env: {} });
    const before = (await box.run(["status", s.session_id])).json;
    const attempts: Array<[string[], number, string]> = [
      [["write-key", s.session_id, "a", "enter", "nosuchkey"], 2, "INVALID_KEY"],
      [["resize", s.session_id, "0", "0"], 2, "INVALID_ARGUMENT"],
      [["resize", s.session_id, "5000", "24"], 2, "INVALID_ARGUMENT"],
      [["read", s.session_id, "--until", "(("], 2, "INVALID_ARGUMENT"],
      [["end", s.session_id, "--signal", "SIGNOPE"], 2, "INVALID_ARGUMENT"],
      [["read", s.session_id, "--since", "-5"], 2, "INVALID_ARGUMENT"],
      [["write", s.session_id, "--bogus", "text"], 2, "USAGE"],
    ];
    for (const [args, exit, code] of attempts) {
      const r = await box.run(args);
      expect({ args, exit: r.code, code: r.json.code }).toEqual({ args, exit, code });
    }
    const after = (await box.run(["status", s.session_id])).json;
    expect(after).toMatchObject({ status: "running", cols: before.cols, rows: before.rows, output_bytes: before.output_bytes, pid: s.pid });
    // A reading far beyond the end is no error: it is simply nothing yet.
    const far = await box.run(["read", s.session_id, "--since", "999999999", "--json"]);
    expect(far.json).toMatchObject({ output: "", dropped_bytes: 0, status: "running" });
  });
});
