// The shell side of exec. For each exec the holder writes a small script holding the command, and
// types one short line at the prompt that sources it, so the command runs in the shell itself and
// `cd`, `export`, functions, options and jobs persist. The script:
//   - (re)installs a prompt hook that prints a P mark with the exit status before every prompt:
//     PROMPT_COMMAND (bash), precmd_functions (zsh), a command substitution at the start of PS1
//     (dash/sh). The prompt comes after every command, interrupted ones included, so completion and
//     status come from the shell itself and never from what the screen looks like;
//   - prints an S mark carrying this exec's nonce right before the command runs, so that the
//     output is exactly the bytes between the S mark and the next P mark (no echo, no prompt);
//   - restores `$?` for the command, runs it with `eval` (so error messages read as they would at
//     the prompt, without our file's name), and re-installs the hook afterwards in case the command
//     replaced PS1 or PROMPT_COMMAND;
//   - keeps the typed line out of the history: bash deletes it when HISTCONTROL did not already
//     ignore it; zsh's zshaddhistory hook skips it (from the second exec on: the first line was
//     added before the hook existed); dash keeps no history. It adds the command instead (bash,
//     when its history is on, and zsh), as it would be had it been typed at the prompt, where the
//     watcher is shown it (show.ts);
// Marks go to /dev/tty, so a command that redirects the shell's own stdout or stderr (`exec >f`)
// does not swallow them. zsh's PROMPT_SP (the '%' it prints after output without a final newline)
// would land before the P mark, so it is switched off while an exec runs and back on in the hook.
// Shell-specific syntax stays inside branches the other shells never run, and none of it is a
// parse error in dash. Every name the script defines starts with `__ds_`. Nothing of ours may
// fail under `set -e` (errexit would end the shell): hooks return 0 then, and zsh's history hook,
// whose non-zero return zsh treats as a failure, lets the line into the history instead.

export interface ScriptOptions {
  /** Per-session secret in every mark (alphanumeric). */
  secret: string;
  /** Per-exec nonce carried by the S mark (alphanumeric). */
  nonce: string;
  /** The line typed at the prompt (to recognise it in the history). */
  typedLine: string;
  /** The command, as typed by the user (any bytes but NUL, which no shell can hold). */
  command: Uint8Array;
}

/** Single-quotes a string for any POSIX shell. */
export function shellQuote(s: string): string {
  if (/^[A-Za-z0-9_./:@%+=,-]+$/.test(s)) return s;
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

const QUOTE = 0x27;
const ESCAPED_QUOTE = new TextEncoder().encode(`'\\''`);

/** Single-quotes bytes (not necessarily UTF-8) for any POSIX shell. */
export function shellQuoteBytes(bytes: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [new Uint8Array([QUOTE])];
  let start = 0;
  for (let i = bytes.indexOf(QUOTE); i !== -1; i = bytes.indexOf(QUOTE, start)) {
    parts.push(bytes.subarray(start, i), ESCAPED_QUOTE);
    start = i + 1;
  }
  parts.push(bytes.subarray(start), new Uint8Array([QUOTE]));
  return Buffer.concat(parts);
}

/** The line typed at the prompt: a leading space keeps it out of history where HISTCONTROL/HIST_IGNORE_SPACE allow. */
export function buildTypedLine(scriptPath: string): string {
  return ` . ${shellQuote(scriptPath)}`;
}

export function buildScript(o: ScriptOptions): Uint8Array {
  if (!/^[0-9A-Za-z]+$/.test(o.secret) || !/^[0-9A-Za-z]+$/.test(o.nonce)) throw new Error("secret and nonce must be alphanumeric");
  const mark = `printf '\\033]697;${o.secret};%s;%s\\007' "$1" "$2"`;
  const head = `# delta-sessions exec (written for each exec; see docs/exec.md)
__ds_s=$?
__ds_st=
__ds_line=${shellQuote(o.typedLine)}
__ds_nl='
'
__ds_mark() { { ${mark} >/dev/tty; } 2>/dev/null || ${mark}; }
__ds_prompt() {
  __ds_x=$?
  __ds_mark P "\${__ds_st:-$__ds_x}"
  __ds_st=
  if [ -n "\${__ds_sp-}" ]; then __ds_sp=; setopt prompt_sp; fi
  case $- in *e*) return 0;; esac
  return "$__ds_x"
}
__ds_ps1() { __ds_mark P "\${__ds_st:-$1}"; }
__ds_ret() { return "$1"; }
__ds_nohist() {
  case $- in *e*) return 0;; esac
  case $1 in "$__ds_line"|"$__ds_line"?) return 1;; esac
  return 0
}
__ds_unhist() {
  __ds_h=$(HISTTIMEFORMAT= builtin history 1 2>/dev/null) || return 0
  case $__ds_h in *"$__ds_line") ;; *) return 0;; esac
  __ds_h=\${__ds_h#"\${__ds_h%%[0-9]*}"}
  __ds_h=\${__ds_h%%[!0-9]*}
  if [ -n "$__ds_h" ]; then builtin history -d "$__ds_h" 2>/dev/null || :; fi
  return 0
}
__ds_hist() {
  __ds_h=$__ds_cmd
  while :; do case $__ds_h in *"$__ds_nl") __ds_h=\${__ds_h%?};; *) break;; esac; done
  [ -n "$__ds_h" ] || return 0
  if [ -n "\${ZSH_VERSION-}" ]; then
    print -s -r -- "$__ds_h"
  elif [ -n "\${BASH_VERSION-}" ] && [ -o history ]; then
    builtin history -s -- "$__ds_h" 2>/dev/null || :
  fi
  unset __ds_h
  return 0
}
__ds_install() {
  if [ -n "\${ZSH_VERSION-}" ]; then
    eval 'precmd_functions=(__ds_prompt \${\${precmd_functions-}:#__ds_prompt})'
    eval 'zshaddhistory_functions=(__ds_nohist \${\${zshaddhistory_functions-}:#__ds_nohist})'
  elif [ -n "\${BASH_VERSION-}" ]; then
    case \${PROMPT_COMMAND-} in __ds_prompt|__ds_prompt\\;*) ;; *) PROMPT_COMMAND="__ds_prompt\${PROMPT_COMMAND:+;$PROMPT_COMMAND}";; esac
  else
    case \${PS1-} in '$(__ds_ps1 $?)'*) ;; *) PS1='$(__ds_ps1 $?)'"\${PS1-}";; esac
  fi
}
__ds_done() {
  unset __ds_cmd
  case $- in *e*) __ds_st=$1; __ds_install; return 0;; esac
  __ds_install
  return "$1"
}
__ds_install
if [ -n "\${BASH_VERSION-}" ]; then
  case :\${HISTCONTROL-}: in *:ignorespace:*|*:ignoreboth:*) ;; *) __ds_unhist;; esac
elif [ -n "\${ZSH_VERSION-}" ]; then
  if [[ -o prompt_sp ]]; then __ds_sp=1; setopt no_prompt_sp; fi
fi
__ds_cmd=`;
  // A line typed once but read twice (left queued behind a busy shell, then typed again) must not
  // run the command twice: the second reading finds the nonce spent and runs nothing.
  const tail = `
case \${__ds_ran-} in ${o.nonce}) __ds_cmd=;; *) __ds_mark S ${o.nonce}; __ds_hist;; esac
__ds_ran=${o.nonce}
case $- in *e*) ;; *) __ds_ret "$__ds_s";; esac
eval "$__ds_cmd"
__ds_done "$?"
`;
  // NUL cannot be part of a shell word; it is dropped rather than cutting the command short.
  const command = o.command.includes(0) ? o.command.filter((b) => b !== 0) : o.command;
  return Buffer.concat([encoder.encode(head), shellQuoteBytes(command), encoder.encode(tail)]);
}

const encoder = new TextEncoder();
