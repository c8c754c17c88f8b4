// A strict command-line parser: unknown flags, missing values and malformed numbers are usage
// errors (exit 2), never silently ignored. Flags may come before or after positionals unless the
// command's rest argument is verbatim (start: everything from CMD on is the child's). Then the
// words are checked against the declared positionals.
import { usageError, invalidArgument } from "../errors.ts";
import { GLOBAL_OPTIONS, type Args, type Command, type CommandSpec, type OptionDef, type PositionalDef, type RawArgs } from "./spec.ts";

export type { CommandSpec, OptionDef, RawArgs } from "./spec.ts";

/** A command whose `run` gets its arguments checked and typed by its spec. */
export function defineCommand<S extends CommandSpec>(spec: S, run: (args: Args<S>) => Promise<number>): Command {
  return { spec, run: (raw) => run(bindArgs(spec, raw)) };
}

export function parseArgs(argv: string[], spec: CommandSpec): RawArgs {
  const options: Record<string, OptionDef> = { ...GLOBAL_OPTIONS, ...spec.options };
  const byName = new Map<string, string>();
  for (const [name, def] of Object.entries(options)) {
    byName.set(`--${name}`, name);
    for (const a of def.alias ?? []) byName.set(a.length === 1 ? `-${a}` : `--${a}`, name);
  }
  const flags: RawArgs["flags"] = {};
  const positionals: string[] = [];
  // Positionals after which the rest is the program's, untouched: from the first word of a
  // verbatim rest argument on.
  const verbatimAt = spec.positionals.findIndex((p) => p.kind === "rest" && p.verbatim === true);
  const verbatimAfter = verbatimAt < 0 ? Infinity : verbatimAt + 1;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (positionals.length >= verbatimAfter) {
      positionals.push(...argv.slice(i));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const key = eq > 0 && arg.startsWith("--") ? arg.slice(0, eq) : arg;
    const name = byName.get(key);
    if (!name) {
      throw usageError(`unknown option ${key} for '${spec.name}'${suggestOption(key, [...byName.keys()])} (put -- before text that starts with '-')`);
    }
    const def = options[name]!;
    if (def.kind === "boolean") {
      if (eq > 0 && arg.startsWith("--")) throw usageError(`option --${name} takes no value`);
      flags[name] = true;
      continue;
    }
    // A second value would silently replace the first: say so instead (only lists repeat).
    if (def.kind !== "list" && flags[name] !== undefined) throw usageError(`option --${name} was given more than once`);
    let value: string;
    if (eq > 0 && arg.startsWith("--")) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined) throw usageError(`option --${name} needs a value (${def.value ?? "VALUE"})`);
      value = next;
      i++;
    }
    if (def.kind === "integer") flags[name] = parseInteger(value, `--${name}`, def.min, def.max);
    else if (def.kind === "list") {
      const earlier = flags[name];
      flags[name] = [...(Array.isArray(earlier) ? earlier : []), value];
    }
    else flags[name] = value;
  }
  return { flags, positionals };
}

/** Checks what the parser found against the spec's positionals and option pairs; fills in absent
 *  booleans (false) and lists (empty). Usage errors name what is missing or extra. */
export function bindArgs<S extends CommandSpec>(spec: S, raw: RawArgs): Args<S> {
  const flags: RawArgs["flags"] = { ...raw.flags };
  const options: Record<string, OptionDef> = { ...GLOBAL_OPTIONS, ...spec.options };
  for (const [name, def] of Object.entries(options)) {
    if (def.kind === "boolean") flags[name] ??= false;
    else if (def.kind === "list") flags[name] ??= [];
  }
  const instead = spec.insteadOfPositionals;
  let positionals: Record<string, string | number | string[]> | null = null;
  if (instead && flags[instead.option] === true) {
    if (instead.refuse !== undefined && raw.positionals.length > 0) throw usageError(instead.refuse);
  } else positionals = bindPositionals(spec, raw.positionals);
  for (const [name, def] of Object.entries(options)) {
    const other = def.goesWith;
    if (other === undefined || !isGiven(flags[name]) || isGiven(flags[other])) continue;
    const otherDef = options[other]!;
    throw usageError(`--${name} goes with --${other}${otherDef.kind === "boolean" ? "" : ` ${otherDef.value ?? "VALUE"}`}`);
  }
  // The one place where the declared spec meets the values found: Args<S> is what was just checked.
  return { flags, positionals } as unknown as Args<S>;
}

function isGiven(value: RawArgs["flags"][string]): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== false;
}

function bindPositionals(spec: CommandSpec, words: string[]): Record<string, string | number | string[]> {
  const singles = spec.positionals.filter((p): p is Exclude<PositionalDef, { kind: "rest" }> => p.kind !== "rest");
  const rest = spec.positionals.find((p) => p.kind === "rest");
  for (const [i, p] of singles.entries()) {
    if (words[i] === undefined) throw usageError(p.missing ?? missingMessage(spec.name, singles));
  }
  const extra = words.slice(singles.length);
  if (!rest && extra.length > 0) throw usageError(spec.tooMany ? spec.tooMany(extra) : tooManyMessage(spec.name, singles, extra));
  if (rest?.missing !== undefined && extra.length === 0) throw usageError(rest.missing);
  const values: Record<string, string | number | string[]> = {};
  for (const [i, p] of singles.entries()) values[p.name] = p.kind === "integer" ? parseInteger(words[i]!, p.name, p.min, p.max) : words[i]!;
  if (rest) values[rest.name] = extra;
  return values;
}

function missingMessage(command: string, singles: readonly PositionalDef[]): string {
  if (singles.length === 1 && singles[0]!.kind === "session") return `${command} needs a session ID`;
  return `${command} needs ${singles.map((p) => p.name).join(" ")}`;
}

function tooManyMessage(command: string, singles: readonly PositionalDef[], extra: string[]): string {
  if (singles.length === 0) return `${command} takes no arguments`;
  const what = singles.length === 1 && singles[0]!.kind === "session" ? "one session ID" : singles.map((p) => p.name).join(" ");
  return `${command} takes ${what}, got extra arguments: ${extra.join(" ")}`;
}

export function parseInteger(value: string, what: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^-?\d+$/.test(value.trim())) throw invalidArgument(`${what} must be an integer, got ${JSON.stringify(value)}`);
  const n = Number(value.trim());
  if (!Number.isSafeInteger(n) || n < min || n > max) throw invalidArgument(`${what} must be between ${min} and ${max}, got ${value}`);
  return n;
}

function suggestOption(key: string, known: string[]): string {
  let best = "";
  let bestDist = 3;
  for (const k of known) {
    const d = distance(key, k);
    if (d < bestDist) {
      bestDist = d;
      best = k;
    }
  }
  return best ? `; did you mean ${best}?` : "";
}

function distance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

/** Renders help for one command. */
export function renderHelp(spec: CommandSpec): string {
  const lines = [`delta-sessions ${spec.name} — ${spec.summary}`, "", `Usage: delta-sessions ${spec.usage}`];
  const all: Record<string, OptionDef> = { ...spec.options, ...GLOBAL_OPTIONS };
  const rows = Object.entries(all).map(([name, def]) => {
    const aliases = (def.alias ?? []).map((a) => (a.length === 1 ? `-${a}` : `--${a}`));
    const flag = [`--${name}${def.kind === "boolean" ? "" : ` ${def.value ?? "VALUE"}`}`, ...aliases].join(", ");
    return [flag, def.description + (def.kind === "list" ? " (repeatable)" : "")] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length));
  lines.push("", "Options:", ...rows.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`));
  if (spec.aliases?.length) lines.push("", `Alias: ${spec.aliases.join(", ")}`);
  if (spec.details) lines.push("", spec.details.trimEnd());
  return lines.join("\n") + "\n";
}
