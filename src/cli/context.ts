// What every command needs: where the sessions live, and how to reach them.
import { resolveSessionsDir } from "../paths.ts";
import type { ParsedArgs } from "./args.ts";

export interface CliContext {
  sessionsDir: string;
}

export function makeContext(args: ParsedArgs): CliContext {
  return { sessionsDir: resolveSessionsDir(args.flags["sessions-dir"] as string | undefined) };
}
