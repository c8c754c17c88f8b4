// Printing results: one JSON document on stdout, or a human message on stderr plus the error
// document on stdout. Writes are awaited so nothing is lost when the process exits right after.
import { DeltaError } from "../errors.ts";
import { currentStdio } from "../stdio-scope.ts";

export async function writeStdout(data: string | Uint8Array): Promise<void> {
  await writeAll(1, data);
}

export async function writeStderr(data: string): Promise<void> {
  await writeAll(2, data);
}

export async function printJson(value: unknown): Promise<void> {
  await writeStdout(JSON.stringify(value) + "\n");
}

export async function printError(err: DeltaError): Promise<void> {
  await writeStderr(`delta-sessions: ${err.message}\n`);
  await printJson({ error: err.message, code: err.code, ...(err.details ?? {}) });
}

/** Blocking-safe write of everything (stdout may be a pipe that is slow to drain). */
async function writeAll(fd: 1 | 2, data: string | Uint8Array): Promise<void> {
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  const scope = currentStdio();
  if (scope) return scope.write(fd, bytes);
  const sink = fd === 1 ? Bun.stdout : Bun.stderr;
  await Bun.write(sink, bytes);
}
