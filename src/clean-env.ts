// Bun reads some variables at start-up that change how this very process behaves; the worst is
// BUN_FEATURE_FLAG_NO_ORPHANS, under which Bun SIGKILLs every descendant when the process exits —
// the holder `start` just spawned included. Scrubbing them from the holder's environment is not
// enough, since it is the CLI's own exit that kills. So a CLI that finds them in its environment
// runs itself again without them and relays the result: the holder is then spawned by a process
// that exits normally, and it is no longer our descendant when we exit.
import { constants } from "node:os";
import { scrubEnv } from "./env.ts";

/** True when `env` holds variables that change the behaviour of a Bun process (SPEC §1). */
export function needsCleanEnv(env: NodeJS.ProcessEnv): boolean {
  return Object.keys(scrubEnv(env)).length !== Object.values(env).filter((v) => v !== undefined).length;
}

/** Runs this CLI again with a scrubbed environment, same argv and stdio; resolves to its exit code. */
export async function runInCleanEnv(argv: string[]): Promise<number> {
  const compiled = Bun.main.startsWith("/$bunfs/") || Bun.main.startsWith("B:/~BUN/");
  const cmd = compiled ? [process.execPath, ...argv] : [process.execPath, Bun.main, ...argv];
  const child = Bun.spawn(cmd, { env: scrubEnv(process.env), stdio: ["inherit", "inherit", "inherit"] });
  // Signals meant for the command (a timeout's SIGTERM, a terminal's hangup) reach the real one.
  const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
  const signals: NodeJS.Signals[] = ["SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT"];
  const handlers = signals.map((sig) => [sig, forward(sig)] as const);
  for (const [sig, fn] of handlers) process.on(sig, fn);
  const code = await child.exited;
  for (const [sig, fn] of handlers) process.off(sig, fn);
  if (child.signalCode) return 128 + ((constants.signals as Record<string, number>)[child.signalCode] ?? 0);
  return code;
}
