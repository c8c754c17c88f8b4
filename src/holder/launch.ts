// Launcher mode (`delta-sessions --launch-holder <id>`): used by `start` only when the caller's
// environment holds Bun variables that change process handling (BUN_FEATURE_FLAG_NO_ORPHANS makes
// the Bun runtime of the CLI kill the process group of every child it spawned when it exits).
// The launcher runs with a scrubbed environment, starts the real holder in a session of its own,
// hands it the readiness pipe (fd 3), and exits at once: nothing the CLI's runtime does to its own
// children on exit can then reach the holder.

import { READY_FD } from "../protocol/launch.ts";

export function launchHolder(argv: string[]): number {
  const proc = Bun.spawn([process.execPath, ...argv], {
    cwd: "/",
    env: process.env,
    stdio: ["ignore", "ignore", "ignore", READY_FD],
    detached: true,
  });
  proc.unref();
  return 0;
}
