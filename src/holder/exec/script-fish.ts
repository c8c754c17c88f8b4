// The fish side of exec (fish 3.x), the counterpart of script.ts for a shell whose language is not
// POSIX. The typed line is ` source FILE`; the leading space keeps it out of fish's history. The
// script:
//   - (re)defines event handlers: fish_postexec prints the P mark with the status of every
//     command line, before fish prints its prompt — and before the "⏎" line it draws after output
//     without a final newline, which therefore never lands in exec's output; fish_cancel (Ctrl-C
//     on an unfinished line) prints a P mark too, so that a cleared line is seen as a prompt;
//     when exec's own line was cut short (`__ds_cmd` still set: `exit` in the command, or an
//     interrupt), the mark waits for the next prompt (fish_prompt): after `exit` none comes, so
//     exec ends with the shell's exit rather than a moment before it;
//   - holds the command in a variable, prints the S mark with this exec's nonce and ends with the
//     previous command's status; the typed line then runs the command with `eval` (so a syntax
//     error in it is reported as at the prompt and the script itself always parses; `set`, `cd`,
//     functions persist as they would typed at the prompt) and ends with its status, which
//     fish_postexec reports.
// Every name it defines starts with `__ds_`.

export interface FishScriptOptions {
  secret: string;
  nonce: string;
  command: Uint8Array;
}

const BACKSLASH = 0x5c;
const QUOTE = 0x27;

/** Single-quotes bytes for fish, where only `\\` and `\'` are escapes inside single quotes. */
export function fishQuoteBytes(bytes: Uint8Array): Uint8Array {
  const out: number[] = [QUOTE];
  for (const b of bytes) {
    if (b === BACKSLASH || b === QUOTE) out.push(BACKSLASH);
    out.push(b);
  }
  out.push(QUOTE);
  return Uint8Array.from(out);
}

export function buildFishScript(o: FishScriptOptions): Uint8Array {
  if (!/^[0-9A-Za-z]+$/.test(o.secret) || !/^[0-9A-Za-z]+$/.test(o.nonce)) throw new Error("secret and nonce must be alphanumeric");
  const mark = `printf '\\x1b]697;${o.secret};%s;%s\\x07' $argv[1] $argv[2]`;
  const head = `# delta-sessions exec (written for each exec; see docs/exec.md)
function __ds_mark
  ${mark} >/dev/tty 2>/dev/null
  or ${mark}
end
function __ds_post --on-event fish_postexec
  set -l s $status
  set -g __ds_last $s
  if set -q __ds_cmd
    set -e __ds_cmd
    set -g __ds_pending $s
    return
  end
  __ds_mark P $s
end
function __ds_prompt --on-event fish_prompt
  set -q __ds_pending; or return
  __ds_mark P $__ds_pending
  set -e __ds_pending
end
function __ds_cancel --on-event fish_cancel
  __ds_mark P $__ds_last
end
function __ds_ret
  return $argv[1]
end
function __ds_done
  set -e __ds_cmd
  return $argv[1]
end
set -q __ds_last; or set -g __ds_last 0
set -g __ds_cmd `;
  // A line read twice (queued behind a busy shell, then typed again) runs the command once.
  const tail = `
if test "$__ds_ran" = ${o.nonce}
  set __ds_cmd ''
else
  __ds_mark S ${o.nonce}
end
set -g __ds_ran ${o.nonce}
__ds_ret $__ds_last
`;
  // NUL cannot be part of a fish string; it is dropped rather than cutting the command short.
  const command = o.command.includes(0) ? o.command.filter((b) => b !== 0) : o.command;
  return Buffer.concat([encoder.encode(head), fishQuoteBytes(command), encoder.encode(tail)]);
}

/**
 * The line typed at fish's prompt: a leading space keeps it out of the history. The command's
 * `eval` is on this line rather than in the file, so that fish reports an error in it as at the
 * prompt, without naming our file; the file ends with the previous status, which eval restores.
 */
export function buildFishTypedLine(scriptPath: string, quote: (s: string) => string): string {
  return ` source ${quote(scriptPath)}; eval $__ds_cmd; __ds_done $status`;
}

const encoder = new TextEncoder();
