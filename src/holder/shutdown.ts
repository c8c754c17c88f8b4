// Shutdown stage: stop accepting, let every connection finish its request and take its last
// replies (as long as it makes progress), then let runHolder return.
import type { HolderServer } from "./server.ts";
import type { HolderSession } from "./session.ts";

/** How long shutdown waits for a connection that takes none of its last replies. */
const SHUTDOWN_FLUSH_MS = 2000;

export class Shutdown {
  private started = false;
  private stopped!: () => void;
  /** Resolves once every connection is closed. */
  readonly done = new Promise<void>((resolve) => (this.stopped = resolve));

  constructor(
    private readonly server: HolderServer,
    private readonly session: () => HolderSession | null,
  ) {}

  /** Begins the shutdown (once; later calls do nothing). */
  begin(): void {
    if (this.started) return;
    this.started = true;
    const session = this.session();
    // Attached terminals' last words (final redraw, exit report) go out before connections close.
    void (session ? session.settleShutdownWork(SHUTDOWN_FLUSH_MS) : Promise.resolve()).then(() => this.closeConnections());
  }

  private closeConnections(): void {
    const { server } = this;
    server.close();
    this.session()?.closeTerminal();
    const open = () => [...server.connections].filter((c) => !c.isClosed);
    if (open().length === 0) return this.stopped();
    // A client that stops reading is not waited for: each SHUTDOWN_FLUSH_MS, stop unless some
    // connection took replies since the last look.
    let lastCheck = performance.now();
    const check = setInterval(() => {
      const now = performance.now();
      const waiting = open();
      if (waiting.length === 0 || waiting.every((c) => c.lastProgressAt < lastCheck)) {
        clearInterval(check);
        for (const c of waiting) c.destroy();
        this.stopped();
      }
      lastCheck = now;
    }, SHUTDOWN_FLUSH_MS);
    for (const c of open()) {
      c.onClose(() => {
        if (open().length === 0) {
          clearInterval(check);
          this.stopped();
        }
      });
    }
  }
}
