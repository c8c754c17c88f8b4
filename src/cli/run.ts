// Dispatch: find the command (global options may come before it), parse its flags strictly, run.
import { ErrorCode, toDeltaError, usageError } from "../errors.ts";
import { parseArgs, renderHelp } from "./args.ts";
import { printError, writeStderr, writeStdout } from "./output.ts";
import { COMMAND_ALIASES, COMMANDS } from "./registry.ts";

export async function runCli(argv: string[], version: string): Promise<number> {
  try {
    return await dispatch(argv, version);
  } catch (err) {
    const e = toDeltaError(err);
    await printError(e);
    return e.exitCode;
  }
}

async function dispatch(argv: string[], version: string): Promise<number> {
  // Global options before the command name: --sessions-dir DIR, --help, --version.
  const leading: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--version" || a === "-V") {
      await writeStdout(version + "\n");
      return 0;
    }
    if (a === "--help" || a === "-h") {
      await writeStdout(renderMainHelp(version));
      return 0;
    }
    if (a === "--sessions-dir") {
      if (argv[i + 1] === undefined) throw usageError("option --sessions-dir needs a value (DIR)");
      leading.push(a, argv[i + 1]!);
      i++;
      continue;
    }
    if (a.startsWith("--sessions-dir=")) {
      leading.push(a);
      continue;
    }
    if (a.startsWith("-")) throw usageError(`unknown option ${a} (see delta-sessions --help)`);
    break;
  }
  const name = argv[i];
  if (name === undefined) {
    // stdout carries only the error document; the overview goes with the message on stderr.
    await writeStderr(renderMainHelp(version));
    throw usageError("no command given");
  }
  if (name === "help") {
    const topic = argv[i + 1];
    const entry = topic ? COMMANDS[COMMAND_ALIASES[topic] ?? topic] : undefined;
    if (topic !== undefined && !entry) throw usageError(`unknown command ${JSON.stringify(topic)} (see delta-sessions --help)`);
    await writeStdout(entry ? renderHelp((await entry.load()).command.spec) : renderMainHelp(version));
    return 0;
  }
  const entry = COMMANDS[COMMAND_ALIASES[name] ?? name];
  if (!entry) throw usageError(`unknown command ${JSON.stringify(name)} (see delta-sessions --help)`);
  const { command } = await entry.load();
  const rest = argv.slice(i + 1);
  try {
    // `start` and `exec` pass everything from CMD on to the program: -h there is its, not ours.
    const args = parseArgs([...leading, ...rest], command.spec);
    if (args.flags.version) {
      await writeStdout(version + "\n");
      return 0;
    }
    if (args.flags.help) {
      await writeStdout(renderHelp(command.spec));
      return 0;
    }
    // Positionals are checked after --help: `status --help` needs no ID.
    return await command.run(args);
  } catch (err) {
    if (command.spec.failureExitCode === undefined) throw err;
    const e = toDeltaError(err);
    await printError(e);
    return e.code === ErrorCode.TIMEOUT ? e.exitCode : command.spec.failureExitCode;
  }
}

function renderMainHelp(version: string): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    `${version} — keep interactive programs alive in pseudo-terminals that outlive the command that started them.`,
    "",
    "Usage: delta-sessions [--sessions-dir DIR] <command> [options]",
    "",
    "Commands:",
    ...Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(width)}  ${v.summary}`),
    "",
    "Global options: --sessions-dir DIR (default $DELTA_SESSIONS_DIR, else ./.sessions), --help, --version",
    "Every command prints one JSON document on success; errors print {\"error\", \"code\"} and exit non-zero.",
    "Run 'delta-sessions <command> --help' for a command's options.",
    "",
  ].join("\n");
}
