// How the holder's own Bun runtime is set up, apart from its child's environment. `start` puts
// HOLDER_RUNTIME_ENV into the holder's environment (Bun reads it when it starts) together with what
// the caller had for those names; the holder puts the caller's values back before anything else,
// so the program in the session gets exactly the caller's environment.
import { HOLDER_RUNTIME_ENV } from "../constants.ts";

/** What the caller had for each runtime variable (null: unset), to restore in the holder. */
export type RestoreEnv = Record<string, string | null>;

/** The holder's environment: the caller's, plus the runtime settings; and what to restore. */
export function withHolderRuntimeEnv(callerEnv: Record<string, string>): { env: Record<string, string>; restore: RestoreEnv } {
  const restore: RestoreEnv = {};
  for (const name of Object.keys(HOLDER_RUNTIME_ENV)) restore[name] = callerEnv[name] ?? null;
  return { env: { ...callerEnv, ...HOLDER_RUNTIME_ENV }, restore };
}

/** In the holder: gives process.env back the caller's values of the runtime variables. */
export function restoreCallerEnv(restore: RestoreEnv | undefined, env: NodeJS.ProcessEnv = process.env): void {
  for (const [name, value] of Object.entries(restore ?? {})) {
    if (value === null) delete env[name];
    else env[name] = value;
  }
}
