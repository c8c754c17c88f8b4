// Where things live (SPEC §2): the sessions directory (metadata) and the runtime directory
// (sockets), and the validation of ids and names before they touch the file system.
import { lstatSync, mkdirSync, statSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { DEFAULT_SESSIONS_DIR_NAME, ENV_RUNTIME_DIR, ENV_SESSIONS_DIR } from "./constants.ts";
import { DeltaError, ErrorCode, invalidArgument } from "./errors.ts";
import { writeFileAtomic } from "./store/atomic.ts";

const SESSION_ID_RE = /^sess_[0-9a-f]{12}$/;
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Unix socket paths are limited to 104 (macOS) or 108 (Linux) bytes including the NUL. */
const MAX_SOCKET_PATH_BYTES = 103;

export function isSessionId(s: string): boolean {
  return SESSION_ID_RE.test(s);
}

export function isValidName(s: string): boolean {
  return NAME_RE.test(s) && !SESSION_ID_RE.test(s);
}

/** A fresh id: `sess_` + 12 hex digits from a cryptographic source. */
export function generateSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return "sess_" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Rejects anything that is neither an id nor a name before any file access. */
export function validateIdOrName(s: string): string {
  if (isSessionId(s) || NAME_RE.test(s)) return s;
  const shown = s.length > 80 ? `${s.slice(0, 80)}…` : s;
  throw invalidArgument(
    `invalid session id or name ${JSON.stringify(shown)}: expected sess_ + 12 hex digits, or a name of letters, digits, '.', '_' and '-' (at most 64, starting with a letter or digit)`,
  );
}

export function validateName(s: string): string {
  if (isValidName(s)) return s;
  if (SESSION_ID_RE.test(s)) throw invalidArgument(`invalid name ${JSON.stringify(s)}: a name must not look like a session id`);
  throw invalidArgument(
    `invalid name ${JSON.stringify(s.length > 80 ? s.slice(0, 80) + "…" : s)}: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
  );
}

/**
 * The sessions directory: the one given (flag, then $DELTA_SESSIONS_DIR), else `./.sessions` when
 * it exists, else the nearest `.sessions` in a parent directory (as git finds its repository: an
 * agent that cd's into a subfolder still sees its sessions), else `./.sessions` (start creates it).
 */
export function resolveSessionsDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  const dir = flag ?? env[ENV_SESSIONS_DIR];
  if (dir === "") throw invalidArgument("the sessions directory must not be empty");
  if (dir !== undefined) return resolve(cwd, dir);
  return findSessionsDirUpward(cwd) ?? join(resolve(cwd), DEFAULT_SESSIONS_DIR_NAME);
}

function findSessionsDirUpward(cwd: string): string | null {
  for (let at = resolve(cwd); ; at = dirname(at)) {
    const candidate = join(at, DEFAULT_SESSIONS_DIR_NAME);
    if (isDirectory(candidate)) return candidate;
    if (dirname(at) === at) return null;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Creates the sessions directory (0700) with a `.gitignore` of `*` so it never lands in a repository. */
export function ensureSessionsDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  checkSessionsDir(dir);
  const ignore = join(dir, ".gitignore");
  // Atomic, so a full file system cannot leave an empty .gitignore that ignores nothing.
  if (!existsSync(ignore)) writeFileAtomic(ignore, "*\n");
}

/**
 * Refuses a sessions directory another user owns or anyone may write to. Every command that reads
 * or writes it checks first (a missing one holds nothing and passes): what is in there is trusted.
 */
export function checkSessionsDir(dir: string): void {
  let st;
  try {
    st = statSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw err;
  }
  if (!st.isDirectory()) {
    throw new DeltaError(ErrorCode.IO_ERROR, `cannot use ${dir} as the sessions directory: it is not a directory`);
  }
  // Session output ends up in here (final.json): another user who owns the directory, or anyone
  // when it is world-writable, could swap our session directories for their own and read it.
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) {
    throw new DeltaError(ErrorCode.UNSAFE_SESSIONS_DIR, `refusing to use sessions directory ${dir}: it is owned by uid ${st.uid}, not by you (uid ${uid})`);
  }
  if ((st.mode & 0o002) !== 0) {
    throw new DeltaError(ErrorCode.UNSAFE_SESSIONS_DIR, `refusing to use sessions directory ${dir}: anyone can write to it (mode ${(st.mode & 0o7777).toString(8)}); chmod o-w, or use another directory`);
  }
}

export function sessionDir(sessionsDir: string, id: string): string {
  return join(sessionsDir, id);
}

export function metadataPath(sessionsDir: string, id: string): string {
  return join(sessionsDir, id, "metadata.json");
}

/** The final state (exit status, unread output, screen) a holder leaves when its program exits. */
export function finalStatePath(sessionsDir: string, id: string): string {
  return join(sessionsDir, id, "final.json");
}

export function holderLogPath(sessionsDir: string, id: string): string {
  return join(sessionsDir, id, "holder.log");
}

/** Names are claimed by a symlink `.names/<name>` -> id: symlink(2) is atomic, so one of two racing starts wins. */
export function namesDir(sessionsDir: string): string {
  return join(sessionsDir, ".names");
}

export function nameLinkPath(sessionsDir: string, name: string): string {
  return join(sessionsDir, ".names", name);
}

export function resolveRuntimeDir(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env[ENV_RUNTIME_DIR];
  if (explicit) return resolve(explicit);
  const xdg = env.XDG_RUNTIME_DIR;
  if (xdg) return join(resolve(xdg), "delta-sessions");
  const uid = process.getuid?.() ?? 0;
  return `/tmp/delta-sessions-${uid}`;
}

/**
 * Creates the runtime directory 0700 if missing, then refuses unless it is a real directory (not a
 * symlink), owned by this user, with no group or other permissions. Returns the directory.
 */
export function ensureRuntimeDir(dir: string): string {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw unsafeRuntimeDir(dir, (err as Error).message);
  }
  checkRuntimeDir(dir);
  return dir;
}

/** True when there is a directory entry at `path`, even a symlink pointing nowhere. */
export function pathEntryExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

export function checkRuntimeDir(dir: string): void {
  let st;
  try {
    st = lstatSync(dir);
  } catch (err) {
    throw unsafeRuntimeDir(dir, (err as Error).message);
  }
  if (st.isSymbolicLink()) throw unsafeRuntimeDir(dir, "it is a symbolic link");
  if (!st.isDirectory()) throw unsafeRuntimeDir(dir, "it is not a directory");
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) throw unsafeRuntimeDir(dir, `it is owned by uid ${st.uid}, not by you (uid ${uid})`);
  if ((st.mode & 0o077) !== 0) {
    throw unsafeRuntimeDir(dir, `its permissions are ${(st.mode & 0o777).toString(8)}; group and others must have none (chmod 700)`);
  }
}

function unsafeRuntimeDir(dir: string, why: string): DeltaError {
  return new DeltaError(ErrorCode.UNSAFE_RUNTIME_DIR, `refusing to use runtime directory ${dir}: ${why}`);
}

export function socketPath(runtimeDir: string, id: string): string {
  const path = join(runtimeDir, `${id}.sock`);
  if (new TextEncoder().encode(path).length > MAX_SOCKET_PATH_BYTES) {
    throw new DeltaError(
      ErrorCode.UNSAFE_RUNTIME_DIR,
      `socket path ${path} is longer than ${MAX_SOCKET_PATH_BYTES} bytes; set ${ENV_RUNTIME_DIR} to a shorter directory`,
    );
  }
  return path;
}
