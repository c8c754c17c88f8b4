// Holder mode (`delta-sessions --holder`): started detached by `start`, it owns the PTY, serves the
// socket, and outlives the command that started it. It reports readiness (or the start-up error)
// once on fd 3, a pipe `start` reads, and never touches the caller's terminal. Its life in stages:
// start (start.ts), serve (serve.ts, server.ts), on exit (on-exit.ts), shutdown (shutdown.ts).
import { readHolderConfig, restoreCallerEnv } from "../protocol/launch.ts";
import { socketPath } from "../paths.ts";
import type { HolderControl } from "./context.ts";
import { trackCommandLine } from "./exec/line.ts";
import { shellName } from "./exec/shell.ts";
import { trackInteraction } from "./input-wait/state.ts";
import { makeLog } from "./log.ts";
import { finishAfterExit } from "./on-exit.ts";
import { QuietCollector } from "./quiet-gc.ts";
import { Recorder } from "./recording/recorder.ts";
import { serve } from "./serve.ts";
import { HolderServer } from "./server.ts";
import type { HolderSession } from "./session.ts";
import { Shutdown } from "./shutdown.ts";
import { reportReady, startSession } from "./start.ts";

export async function runHolder(): Promise<number> {
  // A hangup of the terminal `start` ran in, or a client gone mid-write, must not stop us.
  process.on("SIGHUP", () => {});
  process.on("SIGPIPE", () => {});
  const config = readHolderConfig();
  restoreCallerEnv(config.restore_env);
  const log = makeLog(config);

  let session: HolderSession | null = null;
  const control: HolderControl = { ending: false, shutdown: () => shutdown.begin() };
  const gc = new QuietCollector();
  const server = new HolderServer(
    socketPath(config.runtime_dir, config.session_id),
    config.session_id,
    (conn) => {
      gc.note(); // once per request
      return { session: session!, conn, config, holder: control };
    },
    log,
  );
  const shutdown = new Shutdown(server, () => session);

  session = startSession(config, server);
  if (!session) return 1;
  const live = session;
  // Subscribed before the first output can arrive (it comes in a later turn of the event loop).
  const recorder = config.record ? Recorder.start(config.record, live, config, log) : null;
  // exec needs to know what was typed before its first call (exec/line.ts): tracked from the start.
  if (config.shell_integration) trackCommandLine(live, shellName(config.command[0] ?? "") === "fish" ? "fish" : "posix");
  // Input and its echo are remembered from the start, for send and --until (input-wait/state.ts).
  trackInteraction(live);
  // The log exists (0600) before `start` returns: everything a started session promises is on disk.
  log(`started pid ${live.pid}: ${JSON.stringify(config.command)}`);
  reportReady({ ok: true, pid: live.pid, holder_pid: process.pid, created_at: live.createdAt.toISOString() });

  serve({ config, session: live, server, gc, log, shutdown: control.shutdown });

  const exit = await live.waitForExit();
  log(`program exited: code ${exit.exit_code} signal ${exit.signal}`);
  if (!control.ending) await finishAfterExit(config, live, log, control.shutdown);
  await shutdown.done;
  await recorder?.close();
  return 0;
}
