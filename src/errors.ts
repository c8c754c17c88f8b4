// Errors with a stable `code` (printed in the error JSON) and the exit code they map to.

export const ErrorCode = {
  USAGE: "USAGE",
  INVALID_ARGUMENT: "INVALID_ARGUMENT",
  INVALID_KEY: "INVALID_KEY",
  SESSION_NOT_FOUND: "SESSION_NOT_FOUND",
  SESSION_EXITED: "SESSION_EXITED",
  HOLDER_UNREACHABLE: "HOLDER_UNREACHABLE",
  NAME_TAKEN: "NAME_TAKEN",
  TIMEOUT: "TIMEOUT",
  COMMAND_NOT_FOUND: "COMMAND_NOT_FOUND",
  BUSY: "BUSY",
  EXEC_UNSUPPORTED: "EXEC_UNSUPPORTED",
  /** exec typed its line but the shell showed its prompt again without running it. */
  EXEC_NOT_STARTED: "EXEC_NOT_STARTED",
  UNSAFE_RUNTIME_DIR: "UNSAFE_RUNTIME_DIR",
  UNSAFE_SESSIONS_DIR: "UNSAFE_SESSIONS_DIR",
  PROTOCOL_MISMATCH: "PROTOCOL_MISMATCH",
  NOT_A_TERMINAL: "NOT_A_TERMINAL",
  PROTOCOL_ERROR: "PROTOCOL_ERROR",
  SPAWN_FAILED: "SPAWN_FAILED",
  IO_ERROR: "IO_ERROR",
  /** --host: ssh (or docker) could not reach the machine. */
  HOST_UNREACHABLE: "HOST_UNREACHABLE",
  /** --host: the machine is reachable but has no delta-sessions on its PATH or in ~/.local/bin. */
  REMOTE_NOT_INSTALLED: "REMOTE_NOT_INSTALLED",
  /** --host: the machine runs another version of delta-sessions than this one. */
  REMOTE_VERSION_MISMATCH: "REMOTE_VERSION_MISMATCH",
  INTERNAL: "INTERNAL",
  /** A tool that acts, called on a read-only MCP server (`mcp --read-only`). */
  READ_ONLY: "READ_ONLY",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes that mean "the command line itself is wrong" (exit 2). */
const USAGE_CODES: ReadonlySet<string> = new Set([ErrorCode.USAGE, ErrorCode.INVALID_ARGUMENT, ErrorCode.INVALID_KEY]);

export class DeltaError extends Error {
  readonly code: ErrorCode;
  /** Extra fields for the error JSON (e.g. the protocol versions of a mismatch). */
  readonly details: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "DeltaError";
    this.code = code;
    this.details = details;
  }
  /** Exit code of the CLI for this error (SPEC §3): 2 usage, 124 timeout, 1 anything else. */
  get exitCode(): number {
    if (USAGE_CODES.has(this.code)) return 2;
    if (this.code === ErrorCode.TIMEOUT) return 124;
    return 1;
  }
}

export function usageError(message: string): DeltaError {
  return new DeltaError(ErrorCode.USAGE, message);
}

export function invalidArgument(message: string): DeltaError {
  return new DeltaError(ErrorCode.INVALID_ARGUMENT, message);
}

/** Wraps anything thrown into a DeltaError so the CLI always prints a code. */
export function toDeltaError(err: unknown): DeltaError {
  if (err instanceof DeltaError) return err;
  const e = err as NodeJS.ErrnoException;
  // A file-system error (read-only, full, not a directory, no permission…): say what could not be
  // done to which path, in words, with the errno for searching.
  if (e && typeof e.code === "string" && /^E[A-Z0-9]+$/.test(e.code) && typeof e.syscall === "string") {
    return new DeltaError(ErrorCode.IO_ERROR, describeSystemError(e));
  }
  return new DeltaError(ErrorCode.INTERNAL, e instanceof Error ? e.message : String(err));
}

function describeSystemError(e: NodeJS.ErrnoException): string {
  // Node's message reads "EROFS: read-only file system, mkdir '/path'"; keep the reason part.
  const reason = /^E[A-Z0-9]+: ([^,]+)/.exec(e.message)?.[1] ?? e.message;
  const target = e.path ? ` ${e.path}` : "";
  return `cannot ${e.syscall}${target}: ${reason} (${e.code})`;
}
