// The command-line parser and binder: each spec's declared positionals and option pairs give the
// usage errors (as tables), and `run` gets typed values (checked by the type checker below).
import { expect, test } from "bun:test";
import { bindArgs, parseArgs } from "../../src/cli/args.ts";
import { defineSpec, type Args } from "../../src/cli/spec.ts";
import { DeltaError } from "../../src/errors.ts";

const one = defineSpec({ name: "status", summary: "", usage: "", options: { json: { kind: "boolean", description: "" } }, positionals: [{ name: "ID", kind: "session" }] });
const resize = defineSpec({
  name: "resize",
  summary: "",
  usage: "",
  options: {},
  positionals: [
    { name: "ID", kind: "session" },
    { name: "COLS", kind: "integer", min: 1, max: 500 },
    { name: "ROWS", kind: "integer", min: 1, max: 300 },
  ],
});
const keys = defineSpec({
  name: "write-key",
  summary: "",
  usage: "",
  options: { list: { kind: "boolean", description: "" } },
  positionals: [
    { name: "ID", kind: "session", missing: "write-key needs a session ID and at least one KEY" },
    { name: "KEY", kind: "rest", missing: "write-key needs at least one KEY" },
  ],
  insteadOfPositionals: { option: "list" },
});
const end = defineSpec({
  name: "end",
  summary: "",
  usage: "",
  options: { all: { kind: "boolean", description: "" } },
  positionals: [{ name: "ID", kind: "session" }],
  insteadOfPositionals: { option: "all", refuse: "end --all takes no session ID" },
});
const none = defineSpec({ name: "list", summary: "", usage: "", options: {}, positionals: [] });
const exec = defineSpec({
  name: "exec",
  summary: "",
  usage: "",
  options: {
    timeout: { kind: "integer", value: "MS", description: "" },
    "kill-on-timeout": { kind: "boolean", goesWith: "timeout", description: "" },
    env: { kind: "list", description: "" },
  },
  positionals: [
    { name: "ID", kind: "session" },
    { name: "COMMAND", kind: "rest", verbatim: true },
  ],
});
const start = defineSpec({ name: "start", summary: "", usage: "", options: { wait: { kind: "boolean", description: "" } }, positionals: [{ name: "CMD", kind: "rest", verbatim: true }] });

function bind(spec: Parameters<typeof bindArgs>[0], argv: string[]): unknown {
  return bindArgs(spec, parseArgs(argv, spec));
}

function failure(spec: Parameters<typeof bindArgs>[0], argv: string[]): { code: string; message: string } | null {
  try {
    bind(spec, argv);
    return null;
  } catch (err) {
    if (!(err instanceof DeltaError)) throw err;
    return { code: err.code, message: err.message };
  }
}

const refused: Array<[string, Parameters<typeof bindArgs>[0], string[], string, string]> = [
  ["no ID", one, [], "USAGE", "status needs a session ID"],
  ["two IDs", one, ["a", "b", "c"], "USAGE", "status takes one session ID, got extra arguments: b c"],
  ["resize short", resize, ["a", "80"], "USAGE", "resize needs ID COLS ROWS"],
  ["resize extra (before the integers are read)", resize, ["a", "x", "24", "1"], "USAGE", "resize takes ID COLS ROWS, got extra arguments: 1"],
  ["resize COLS not a number", resize, ["a", "wide", "24"], "INVALID_ARGUMENT", 'COLS must be an integer, got "wide"'],
  ["resize ROWS out of range", resize, ["a", "80", "0"], "INVALID_ARGUMENT", "ROWS must be between 1 and 300, got 0"],
  ["keys without ID", keys, [], "USAGE", "write-key needs a session ID and at least one KEY"],
  ["keys without KEY", keys, ["a"], "USAGE", "write-key needs at least one KEY"],
  ["end --all with an ID", end, ["--all", "a"], "USAGE", "end --all takes no session ID"],
  ["list with an argument", none, ["x"], "USAGE", "list takes no arguments"],
  ["--kill-on-timeout alone", exec, ["a", "--kill-on-timeout", "ls"], "USAGE", "--kill-on-timeout goes with --timeout MS"],
];
for (const [what, spec, argv, code, message] of refused) {
  test(`refused: ${what}`, () => expect(failure(spec, argv)).toEqual({ code, message }));
}

const bound: Array<[string, Parameters<typeof bindArgs>[0], string[], unknown]> = [
  ["an ID, booleans default to false", one, ["a"], { positionals: { ID: "a" }, json: false }],
  ["integers", resize, ["a", "80", "24"], { positionals: { ID: "a", COLS: 80, ROWS: 24 } }],
  ["rest words", keys, ["a", "C-c", "enter"], { positionals: { ID: "a", KEY: ["C-c", "enter"] }, list: false }],
  ["--list takes the place of the positionals (ignored)", keys, ["--list", "x"], { positionals: null, list: true }],
  ["--all", end, ["--all"], { positionals: null, all: true }],
  // Options after COMMAND's first word are the command's; lists default to empty.
  ["exec: options before COMMAND only", exec, ["--timeout", "5", "a", "echo", "--timeout", "-h"], { positionals: { ID: "a", COMMAND: ["echo", "--timeout", "-h"] }, timeout: 5, env: [] }],
  ["exec: empty COMMAND", exec, ["a"], { positionals: { ID: "a", COMMAND: [] } }],
  ["start: everything from CMD on", start, ["--wait", "python3", "--wait", "-h"], { positionals: { CMD: ["python3", "--wait", "-h"] }, wait: true }],
];
for (const [what, spec, argv, expected] of bound) {
  test(`bound: ${what}`, () => {
    const { positionals, ...flags } = expected as { positionals: unknown };
    const args = bind(spec, argv) as { flags: Record<string, unknown>; positionals: unknown };
    expect(args.positionals).toEqual(positionals);
    expect(args.flags).toMatchObject(flags);
  });
}

// The types `run` sees, inferred from the spec (`npm run typecheck` fails if they are wrong).
export function typedValues(a: Args<typeof resize>, k: Args<typeof keys>, e: Args<typeof exec>): void {
  const cols: number = a.positionals.COLS;
  const id: string = a.positionals.ID;
  // @ts-expect-error COLS is a number
  const wrong: string = a.positionals.COLS;
  // @ts-expect-error --list may stand in for the positionals
  const noCheck: string = k.positionals.ID;
  const keyList: string[] | undefined = k.positionals?.KEY;
  const timeout: number | undefined = e.flags.timeout;
  const kill: boolean = e.flags["kill-on-timeout"];
  const env: string[] = e.flags.env;
  const dir: string | undefined = e.flags["sessions-dir"];
  // @ts-expect-error no such option
  void e.flags.nope;
  void [cols, id, wrong, noCheck, keyList, timeout, kill, env, dir];
}
