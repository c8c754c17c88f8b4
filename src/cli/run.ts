// Dispatch: find the command (global options may come before it), parse its flags strictly, run.
import { ENV_HOST } from "../constants.ts";
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
  // Global options before the command name: --sessions-dir DIR, --host, --ssh-option, --help, --version.
  const leading: string[] = [];
  const remote: { host?: string; sshOptions: string[] } = { sshOptions: [] };
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
    const remoteOption = takeRemoteOption(argv, i, remote);
    if (remoteOption > 0) {
      i += remoteOption - 1;
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
  const host = remote.host ?? (process.env[ENV_HOST] || undefined);
  const onHost = host !== undefined && command.spec.name !== "install-remote";
  if (command.spec.name === "install-remote") leading.push(...remote.sshOptions.flatMap((o) => ["--ssh-option", o]));
  try {
    // On another machine (SPEC §14), its failures there keep the command's exit code (exec: 125).
    if (onHost) return await runOnHost(host, remote.sshOptions, command.spec.name, [...leading, name, ...rest], version);
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

/** --host H / --host=H / --ssh-option O / --ssh-option=O at argv[i]: how many words it took (0: none). */
function takeRemoteOption(argv: string[], i: number, into: { host?: string; sshOptions: string[] }): number {
  const a = argv[i]!;
  for (const name of ["--host", "--ssh-option"]) {
    let value: string | undefined;
    let words = 0;
    if (a === name) {
      value = argv[i + 1];
      if (value === undefined) throw usageError(`option ${name} needs a value (${name === "--host" ? "[USER@]HOST[:PORT]" : "KEY=VALUE"})`);
      words = 2;
    } else if (a.startsWith(`${name}=`)) {
      value = a.slice(name.length + 1);
      words = 1;
    } else continue;
    if (name === "--ssh-option") into.sshOptions.push(value);
    else if (into.host !== undefined) throw usageError("option --host was given more than once");
    else into.host = value;
    return words;
  }
  return 0;
}

async function runOnHost(host: string, sshOptions: string[], command: string, argv: string[], version: string): Promise<number> {
  const { parseTarget, checkSshOption } = await import("../remote/target.ts");
  const target = parseTarget(host);
  for (const o of sshOptions) checkSshOption(o);
  const { callRemote } = await import("../remote/call.ts");
  return callRemote(target, sshOptions, command, argv, version);
}

function renderMainHelp(version: string): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    `${version} — keep interactive programs alive in pseudo-terminals that outlive the command that started them.`,
    "",
    "Usage: delta-sessions [--sessions-dir DIR] [--host [USER@]HOST[:PORT]] [--ssh-option KEY=VALUE]… <command> [options]",
    "",
    "Commands:",
    ...Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(width)}  ${v.summary}`),
    "",
    "Global options: --sessions-dir DIR (default $DELTA_SESSIONS_DIR, else ./.sessions), --help, --version",
    "  --host [USER@]HOST[:PORT] | docker:NAME | podman:NAME (default $DELTA_SESSIONS_HOST): run the command on",
    "  that machine over ssh (see docs/remote.md); --ssh-option KEY=VALUE (repeatable) is passed as ssh -o KEY=VALUE.",
    "Every command prints one JSON document on success; errors print {\"error\", \"code\"} and exit non-zero.",
    "Run 'delta-sessions <command> --help' for a command's options.",
    "",
  ].join("\n");
}
