// Which sessions exec can serve: an interactive bash, sh/dash or zsh. Decided from the command
// the session was started with, before anything is typed into it. (`sh` may be dash or bash; the
// integration script finds out at run time which shell it is in.)

export type ShellCheck = { ok: true; shell: string } | { ok: false; reason: string };

const SHELLS = new Set(["bash", "sh", "dash", "zsh"]);
/** Options that take the next argument as their value (bash, dash and zsh). */
const LONG_WITH_VALUE = new Set(["--rcfile", "--init-file", "--emulate"]);
const SHORT_WITH_VALUE = new Set(["o", "O"]);

export function checkShell(command: readonly string[]): ShellCheck {
  const program = command[0] ?? "";
  const base = program.slice(program.lastIndexOf("/") + 1).replace(/^-/, "");
  if (!SHELLS.has(base)) {
    return { ok: false, reason: `exec runs commands in bash, sh, dash or zsh sessions; this session runs ${JSON.stringify(program)}` };
  }
  const why = nonInteractiveReason(command.slice(1));
  if (why) return { ok: false, reason: `exec needs an interactive shell; this ${base} ${why}` };
  return { ok: true, shell: base };
}

/** Why the arguments make the shell non-interactive (a -c string or a script), or null. */
function nonInteractiveReason(args: readonly string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") return i + 1 < args.length ? `runs the script ${JSON.stringify(args[i + 1])}` : null;
    if (a.startsWith("--")) {
      if (LONG_WITH_VALUE.has(a)) i++;
      continue;
    }
    if ((a.startsWith("-") || a.startsWith("+")) && a.length > 1) {
      const letters = a.slice(1);
      if (a.startsWith("-") && letters.includes("c")) return "runs a command string (-c)";
      // -s: commands come from stdin (the terminal); what follows are positional parameters.
      if (a.startsWith("-") && letters.includes("s")) return null;
      for (const l of letters) if (SHORT_WITH_VALUE.has(l)) i++;
      continue;
    }
    return `runs the script ${JSON.stringify(a)}`;
  }
  return null;
}
