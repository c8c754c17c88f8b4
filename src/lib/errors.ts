// SessionError: what every library call throws, with the CLI's stable `code` (SESSION_NOT_FOUND,
// TIMEOUT, INVALID_ARGUMENT, …) and message.
import { toDeltaError, type ErrorCode } from "../errors.ts";

export class SessionError extends Error {
  readonly code: ErrorCode;
  /** Extra fields of the CLI's error document (e.g. the protocol versions of a mismatch). */
  readonly details: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "SessionError";
    this.code = code;
    this.details = details;
  }
}

/** Runs `fn`; whatever it throws arrives as a SessionError. */
export async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw asSessionError(err);
  }
}

export function guardSync<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw asSessionError(err);
  }
}

function asSessionError(err: unknown): SessionError {
  if (err instanceof SessionError) return err;
  const e = toDeltaError(err);
  return new SessionError(e.code, e.message, e.details);
}
