// What every command needs: where the sessions live, and how to reach them.
import { checkSessionsDir, resolveSessionsDir } from "../paths.ts";
import type { ParsedArgs } from "./args.ts";

export interface CliContext {
  sessionsDir: string;
}

export function makeContext(args: ParsedArgs): CliContext {
  const sessionsDir = resolveSessionsDir(args.flags["sessions-dir"] as string | undefined);
  // Every command trusts what it finds there, so an unsafe directory is refused before any use.
  checkSessionsDir(sessionsDir);
  return { sessionsDir };
}
