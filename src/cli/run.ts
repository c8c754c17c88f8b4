// Dispatch: find the command (global options may come before it), parse its flags strictly, run.
import { ENV_HOST } from "../constants.ts";
import { ErrorCode, toDeltaError, usageError } from "../errors.ts";
import { parseArgs, renderHelp } from "./args.ts";
import { printError, writeStderr, writeStdout } from "./output.ts";
import { COMMAND_ALIASES, COMMANDS } from "./registry.ts";
import { GLOBAL_OPTIONS, type OptionDef } from "./spec.ts";

/** `remoteEnd`: this call came from another machine (--host there): --host and
 *  $DELTA_SESSIONS_HOST are not followed again here. */
export async function runCli(argv: string[], version: string, remoteEnd = false): Promise<number> {
  try {
    return await dispatch(argv, version, remoteEnd);
  } catch (err) {
    const e = toDeltaError(err);
    await printError(e);
    return e.exitCode;
  }
}

async function dispatch(argv: string[], version: string, remoteEnd: boolean): Promise<number> {
  // Global options before the command name: --sessions-dir DIR, --host, --ssh-option, --help,
  // --version. The remote ones stay here; the others go to the other machine with the command.
  const leading: string[] = [];
  const remoteLeading: string[] = [];
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
    const valued = ["--sessions-dir", "--host", "--ssh-option"].find((o) => a === o || a.startsWith(`${o}=`));
    if (valued !== undefined) {
      const into = valued === "--sessions-dir" ? leading : remoteLeading;
      if (a !== valued) into.push(a);
      else if (argv[i + 1] === undefined) throw usageError(`option ${a} needs a value (${(GLOBAL_OPTIONS as Record<string, OptionDef>)[valued.slice(2)]!.value})`);
      else into.push(a, argv[++i]!);
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
    const args = parseArgs([...remoteLeading, ...leading, ...rest], command.spec);
    if (args.flags.version) {
      await writeStdout(version + "\n");
      return 0;
    }
    if (args.flags.help) {
      await writeStdout(renderHelp(command.spec));
      return 0;
    }
    // On another machine (SPEC §14): the same argv there, where --host is not followed again.
    const host = (args.flags.host as string | undefined) ?? (process.env[ENV_HOST] || undefined);
    if (host !== undefined && !remoteEnd && command.spec.name !== "install-remote") {
      const sshOptions = (args.flags["ssh-option"] as string[] | undefined) ?? [];
      return await runOnHost(host, sshOptions, command.spec.name, [...leading, name, ...rest], version);
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
    "Usage: delta-sessions [--sessions-dir DIR] [--host HOST] <command> [options]",
    "",
    "Commands:",
    ...Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(width)}  ${v.summary}`),
    "",
    "Global options: --sessions-dir DIR (default $DELTA_SESSIONS_DIR, else ./.sessions), --help, --version,",
    "  --host [USER@]HOST[:PORT] | docker:NAME | podman:NAME (default $DELTA_SESSIONS_HOST): run the command",
    "  on that machine over ssh (docs/remote.md), --ssh-option KEY=VALUE (repeatable): passed as ssh -o KEY=VALUE",
    "Every command prints one JSON document on success; errors print {\"error\", \"code\"} and exit non-zero.",
    "Run 'delta-sessions <command> --help' for a command's options.",
    "",
  ].join("\n");
}
