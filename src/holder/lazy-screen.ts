// The holder's screen, loaded after the session is ready. Loading @xterm/headless and constructing
// its Terminal costs 10-20 ms of CPU, more than everything else `start` waits for; so the holder
// reports ready first and then loads the emulator (startLoading), and output that arrives before
// it exists is kept and parsed in order once it does. Same API as Screen: whatever needs the
// emulator (flush, capture, serialize) waits for it, so `read --screen`, keys in application cursor
// mode and terminal-query answers are exactly what they would have been.
import type { Screen, ScreenCapture, ScreenModes, ScreenOptions } from "./screen.ts";

type Pending = { kind: "feed"; bytes: Uint8Array } | { kind: "resize"; cols: number; rows: number };

export class LazyScreen {
  private screen: Screen | null = null;
  private loading: Promise<Screen | null> | null = null;
  private pending: Pending[] = [];
  private answerQueries = true;
  private disposed = false;

  constructor(
    private readonly cols: number,
    private readonly rows: number,
    private readonly options: ScreenOptions,
  ) {}

  /** Begins loading the emulator in the background (the holder calls this once it is ready). */
  startLoading(): void {
    void this.load().catch(() => {
      // Reported to whoever waits for the screen (flush, capture, serialize).
    });
  }

  /** Program output, in order. Before the emulator exists it is kept (copied) and parsed later. */
  feed(bytes: Uint8Array): void {
    if (this.disposed || bytes.length === 0) return;
    if (this.screen) return this.screen.feed(bytes);
    this.pending.push({ kind: "feed", bytes: bytes.slice() });
  }

  /** Resolves once every byte fed so far has been parsed (loading the emulator if need be). */
  async flush(): Promise<void> {
    const screen = await this.load();
    await screen?.flush();
  }

  resize(cols: number, rows: number): void {
    if (this.disposed) return;
    if (this.screen) return this.screen.resize(cols, rows);
    this.pending.push({ kind: "resize", cols, rows });
  }

  async capture(scrollback = 0): Promise<ScreenCapture> {
    return (await this.loaded()).capture(scrollback);
  }

  /** As of the last flush. Before the emulator exists nothing has been parsed: every mode is off. */
  modes(): ScreenModes {
    return this.screen ? this.screen.modes() : { applicationCursor: false, bracketedPaste: false };
  }

  async serialize(): Promise<string> {
    return (await this.loaded()).serialize();
  }

  /** Modes serialize() leaves out (see Screen.serializeExtras); empty before the emulator exists. */
  serializeExtras(): string {
    return this.screen ? this.screen.serializeExtras() : "";
  }

  /** Where an attached terminal should continue after detaching (see Screen.detachState). */
  detachState(): { alternateScreen: boolean; cursor: { row: number; col: number } } {
    return this.screen ? this.screen.detachState() : { alternateScreen: false, cursor: { row: 0, col: 0 } };
  }

  setAnswerQueries(on: boolean): void {
    this.answerQueries = on;
    this.screen?.setAnswerQueries(on);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.pending = [];
    this.screen?.dispose();
  }

  private async loaded(): Promise<Screen> {
    const screen = await this.load();
    if (!screen) throw new Error("screen disposed");
    return screen;
  }

  private load(): Promise<Screen | null> {
    this.loading ??= import("./screen.ts").then(({ Screen }) => {
      if (this.disposed) return null;
      const screen = new Screen(this.cols, this.rows, this.options);
      screen.setAnswerQueries(this.answerQueries);
      // Output and resizes that came before the emulator, in their order.
      for (const op of this.pending) {
        if (op.kind === "feed") screen.feed(op.bytes);
        else screen.resize(op.cols, op.rows);
      }
      this.pending = [];
      this.screen = screen;
      return screen;
    });
    return this.loading;
  }
}
