// What `--host` names: an ssh destination ([USER@]HOST[:PORT], the user's ssh config applies to
// HOST) or a container (docker:NAME, podman:NAME), and the argv that reaches it.
import { invalidArgument } from "../errors.ts";

export type RemoteTarget =
  | { kind: "ssh"; spec: string; host: string; user?: string; port?: number }
  | { kind: "container"; spec: string; engine: "docker" | "podman"; name: string };

const HOST_RE = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const IPV6_RE = /^\[([0-9A-Fa-f:.%a-z0-9]+)\]$/;
const USER_RE = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const CONTAINER_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const SSH_OPTION_RE = /^[A-Za-z][A-Za-z0-9]*=.*$/s;

export function parseTarget(spec: string): RemoteTarget {
  const container = /^(docker|podman):(.*)$/.exec(spec);
  if (container) {
    const name = container[2]!;
    if (!CONTAINER_RE.test(name)) throw invalidArgument(`invalid container name ${JSON.stringify(name)} in --host ${spec}`);
    return { kind: "container", spec, engine: container[1] as "docker" | "podman", name };
  }
  const at = spec.lastIndexOf("@");
  const user = at >= 0 ? spec.slice(0, at) : undefined;
  let rest = at >= 0 ? spec.slice(at + 1) : spec;
  let port: number | undefined;
  const portMatch = /^(.*[^:]):(\d+)$/.exec(rest);
  if (portMatch && (rest.startsWith("[") || !portMatch[1]!.includes(":"))) {
    port = Number(portMatch[2]);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalidArgument(`invalid port in --host ${spec}: use 1-65535`);
    rest = portMatch[1]!;
  }
  const v6 = IPV6_RE.exec(rest);
  const host = v6 ? v6[1]! : rest;
  if (user !== undefined && !USER_RE.test(user)) throw invalidArgument(`invalid user name in --host ${JSON.stringify(spec)}`);
  if (!v6 && !HOST_RE.test(host)) {
    throw invalidArgument(`invalid --host ${JSON.stringify(spec)}: expected [USER@]HOST[:PORT], docker:NAME or podman:NAME`);
  }
  return { kind: "ssh", spec, host, ...(user !== undefined ? { user } : {}), ...(port !== undefined ? { port } : {}) };
}

/** `--ssh-option KEY=VALUE`, checked before it reaches ssh's command line. */
export function checkSshOption(option: string): string {
  if (!SSH_OPTION_RE.test(option)) throw invalidArgument(`invalid --ssh-option ${JSON.stringify(option)}: expected KEY=VALUE (an ssh_config option, passed as ssh -o KEY=VALUE)`);
  return option;
}

/** What the remote shell prints (stderr, exit 127) when it finds no delta-sessions. */
export const NOT_INSTALLED_MARK = "delta-sessions-remote: not installed";
/** Exit status of the remote script when delta-sessions is missing there. */
export const NOT_INSTALLED_STATUS = 127;

/**
 * The POSIX sh script that runs delta-sessions on the other machine with the arguments after it:
 * ~/.local/bin (where install-remote puts it) comes first on PATH, and it runs in the home
 * directory, so sessions live in ~/.sessions there unless DELTA_SESSIONS_DIR says otherwise.
 */
export const REMOTE_SCRIPT =
  `PATH="$HOME/.local/bin:$PATH"; export PATH; cd "$HOME" 2>/dev/null; ` +
  `command -v delta-sessions >/dev/null 2>&1 || { echo "${NOT_INSTALLED_MARK}" >&2; exit ${NOT_INSTALLED_STATUS}; }; ` +
  `exec delta-sessions "$@"`;

/** Quotes one word for a POSIX shell (and fish): ssh passes its command to the login shell as text. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_./=:,+@%-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The remote command, as one string for ssh: sh -c SCRIPT sh ARGS…  */
export function remoteCommand(script: string, args: readonly string[]): string {
  return ["sh", "-c", script, "sh", ...args].map(shellQuote).join(" ");
}

/** docker/podman exec argv running `script` with `args` in the container. */
export function containerArgv(target: Extract<RemoteTarget, { kind: "container" }>, script: string, args: readonly string[], tty = false): string[] {
  return [target.engine, "exec", "-i", ...(tty ? ["-t"] : []), target.name, "sh", "-c", script, "sh", ...args];
}
