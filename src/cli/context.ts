// What every command needs: where the sessions live, and how to reach them.
import { checkSessionsDir, resolveSessionsDir } from "../paths.ts";

export interface CliContext {
  sessionsDir: string;
}

export function makeContext(args: { flags: { "sessions-dir": string | undefined } }): CliContext {
  const sessionsDir = resolveSessionsDir(args.flags["sessions-dir"]);
  // Every command trusts what it finds there, so an unsafe directory is refused before any use.
  checkSessionsDir(sessionsDir);
  return { sessionsDir };
}
