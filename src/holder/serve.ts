// Serve stage: what the holder does while its program runs, besides answering requests (server.ts):
// load what `start` did not wait for, make the metadata durable, and handle its signals.
import { DEFAULT_END_GRACE_MS, REAP_TIMEOUT_MS } from "../constants.ts";
import { metadataPath } from "../paths.ts";
import { syncFile } from "../store/atomic.ts";
import type { HolderConfig } from "./config.ts";
import type { Log } from "./log.ts";
import { storeFinalState } from "./on-exit.ts";
import type { QuietCollector } from "./quiet-gc.ts";
import { loadHandlers, type HolderServer } from "./server.ts";
import type { HolderSession } from "./session.ts";

export interface Serving {
  config: HolderConfig;
  session: HolderSession;
  server: HolderServer;
  gc: QuietCollector;
  log: Log;
  shutdown: () => void;
}

export function serve(s: Serving): void {
  const { config, session, gc, log } = s;
  // What `start` need not wait for: the screen emulator and the request handlers (a failure to
  // load them is reported to each request).
  session.screen.startLoading();
  loadHandlers().catch(() => {});
  session.onOutput(() => gc.note());
  session.onInput(() => gc.note());
  gc.note(); // start-up itself was a burst
  handleSignals(s);
  try {
    syncFile(metadataPath(config.sessions_dir, config.session_id));
  } catch (err) {
    log(`could not sync metadata: ${(err as Error).message}`);
  }
}

function handleSignals({ config, session, server, log, shutdown }: Serving): void {
  process.on("SIGUSR1", () => {
    try {
      server.relisten();
      log("socket re-created on SIGUSR1");
    } catch (err) {
      log(`could not re-create socket: ${(err as Error).message}`);
    }
  });
  process.on("SIGTERM", () => {
    if (session.exit) {
      // The program is gone and its final state could not be stored before: try once more, then stop.
      log("SIGTERM after the program exited: stopping");
      void storeFinalState(config, session)
        .catch(() => undefined)
        .finally(shutdown);
      return;
    }
    log("SIGTERM: ending the program's process group");
    session.signalGroup("SIGHUP");
    setTimeout(() => session.signalGroup("SIGKILL"), DEFAULT_END_GRACE_MS).unref();
    // If the child never goes (it cannot be reaped), stop anyway.
    setTimeout(shutdown, DEFAULT_END_GRACE_MS + REAP_TIMEOUT_MS).unref();
  });
}
