// Which sessions exec can serve: an interactive bash, sh/dash, zsh or fish. Decided from the
// command the session was started with, before anything is typed into it. (`sh` may be dash or
// bash; the POSIX integration script finds out at run time which shell it is in.)

/** posix: bash, sh/dash and zsh share one script; fish has its own language (script-fish.ts). */
export type Dialect = "posix" | "fish";

export type ShellCheck = { ok: true; shell: string; dialect: Dialect } | { ok: false; reason: string };

const SHELLS = new Set(["bash", "sh", "dash", "zsh", "fish"]);
/** Options that take the next argument as their value (bash, dash and zsh). */
const LONG_WITH_VALUE = new Set(["--rcfile", "--init-file", "--emulate"]);
const SHORT_WITH_VALUE = new Set(["o", "O"]);
/** fish's options that take a value (fish 3: `fish --help`). */
const FISH_LONG_WITH_VALUE = new Set(["--init-command", "--debug", "--debug-output", "--features", "--profile", "--profile-startup"]);
const FISH_SHORT_WITH_VALUE = new Set(["C", "d", "o", "f"]);

/** The shell's name without its directory or a login shell's leading '-'. */
export function shellName(program: string): string {
  return program.slice(program.lastIndexOf("/") + 1).replace(/^-/, "");
}

export function checkShell(command: readonly string[]): ShellCheck {
  const program = command[0] ?? "";
  const base = shellName(program);
  if (!SHELLS.has(base)) {
    return { ok: false, reason: `exec runs commands in bash, sh, dash, zsh or fish sessions; this session runs ${JSON.stringify(program)}` };
  }
  const why = base === "fish" ? fishNonInteractiveReason(command.slice(1)) : nonInteractiveReason(command.slice(1));
  if (why) return { ok: false, reason: `exec needs an interactive shell; this ${base} ${why}` };
  return { ok: true, shell: base, dialect: base === "fish" ? "fish" : "posix" };
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

/** fish: `-c`/`--command` or a script argument make it non-interactive (`-i` does not undo a script). */
function fishNonInteractiveReason(args: readonly string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") return i + 1 < args.length ? `runs the script ${JSON.stringify(args[i + 1])}` : null;
    if (a === "--command" || a.startsWith("--command=")) return "runs a command string (--command)";
    if (a.startsWith("--")) {
      if (FISH_LONG_WITH_VALUE.has(a)) i++;
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      const letters = a.slice(1);
      for (let k = 0; k < letters.length; k++) {
        const l = letters[k]!;
        if (l === "c") return "runs a command string (-c)";
        // The value is the rest of the word, or the next argument.
        if (FISH_SHORT_WITH_VALUE.has(l)) {
          if (k === letters.length - 1) i++;
          break;
        }
      }
      continue;
    }
    return `runs the script ${JSON.stringify(a)}`;
  }
  return null;
}
