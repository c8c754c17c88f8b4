// A command's spec: its options and positional arguments, declared once. The parser (args.ts)
// checks argv against it, and the command's `run` receives typed values inferred from the same
// declaration, so a command neither re-checks its arguments nor casts them.

export type OptionKind = "boolean" | "string" | "integer" | "list";

export interface OptionDef {
  kind: OptionKind;
  description: string;
  /** Placeholder in help, e.g. MS. */
  value?: string;
  alias?: readonly string[];
  /** integer bounds */
  min?: number;
  max?: number;
  /** Another option this one needs ("--kill-on-timeout goes with --timeout MS" otherwise). */
  goesWith?: string;
}

/**
 * A positional argument. Single ones (session, string, integer) are required, in order; `missing`
 * replaces the default usage error when one is absent. A `rest` argument (TEXT…) comes last and
 * takes every word left, none unless `missing` is given; `verbatim`: options are read only before
 * it, everything from its first word on is the program's (start's CMD, exec's COMMAND).
 */
export type PositionalDef =
  | { name: string; kind: "session" | "string"; missing?: string }
  | { name: string; kind: "integer"; min?: number; max?: number; missing?: string }
  | { name: string; kind: "rest"; missing?: string; verbatim?: boolean };

export interface CommandSpec {
  name: string;
  aliases?: readonly string[];
  summary: string;
  usage: string;
  options: Record<string, OptionDef>;
  positionals: readonly PositionalDef[];
  /** The usage error for words beyond the declared positionals (the default names what it takes). */
  tooMany?: (extra: string[]) => string;
  /** An option that takes the place of the positionals (end --all, write-key --list): with it
   *  given they are not read, and `positionals` is null; `refuse` is the usage error when some
   *  were given anyway (without it they are ignored). */
  insteadOfPositionals?: { option: string; refuse?: string };
  /** More help text (examples, notes). */
  details?: string;
  /** Exit code for every failure of delta-sessions itself, usage errors included (exec: 125, so
   *  that it never looks like the command's own status). Timeouts keep 124. */
  failureExitCode?: number;
}

/** Options every command takes. */
export const GLOBAL_OPTIONS = {
  "sessions-dir": { kind: "string", value: "DIR", description: "sessions directory (default $DELTA_SESSIONS_DIR, else ./.sessions)" },
  host: { kind: "string", value: "[USER@]HOST[:PORT]", description: "run on that machine over ssh, or docker:NAME / podman:NAME (default $DELTA_SESSIONS_HOST; docs/remote.md)" },
  "ssh-option": { kind: "list", value: "KEY=VALUE", description: "passed to ssh as -o KEY=VALUE with --host" },
  help: { kind: "boolean", alias: ["h"], description: "show help" },
  version: { kind: "boolean", alias: ["V"], description: "print the version" },
} as const satisfies Record<string, OptionDef>;

/** What the parser found, before it is checked against the positionals (help needs none). */
export interface RawArgs {
  flags: Record<string, string | number | boolean | string[] | undefined>;
  positionals: string[];
}

type OptionValue<D> = D extends { kind: "boolean" } ? boolean : D extends { kind: "integer" } ? number | undefined : D extends { kind: "list" } ? string[] : string | undefined;
type PositionalValue<D> = D extends { kind: "integer" } ? number : D extends { kind: "rest" } ? string[] : string;

/** Booleans are false and lists empty when absent; other options are undefined. */
export type Flags<O> = { [K in keyof O]: OptionValue<O[K]> };
export type Positionals<P extends readonly PositionalDef[]> = { [D in P[number] as D["name"]]: PositionalValue<D> };

export interface Args<S extends CommandSpec> {
  flags: Flags<S["options"] & typeof GLOBAL_OPTIONS>;
  positionals: S extends { insteadOfPositionals: object } ? Positionals<S["positionals"]> | null : Positionals<S["positionals"]>;
}

/** A loaded command: its spec, and `run` taking what the parser found. */
export interface Command {
  spec: CommandSpec;
  run(raw: RawArgs): Promise<number>;
}

/** Keeps the spec's literal types (option and positional kinds) for `Args<typeof spec>`. */
export function defineSpec<const S extends CommandSpec>(spec: S): S {
  return spec;
}
