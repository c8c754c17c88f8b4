// The holder's headless terminal: the program's output is fed to @xterm/headless so that
// `read --screen` and an attaching person see what a terminal would show now (SPEC §6), and so
// that terminal queries (cursor position, device attributes) get answered when nobody is attached.
import { Terminal } from "@xterm/headless";
import { SerializeAddon } from "@xterm/addon-serialize";
import { Unicode11Addon } from "@xterm/addon-unicode11";
import { ParseBacklog } from "./parse-backlog.ts";

export interface ScreenCapture {
  lines: string[];
  cursor: { row: number; col: number };
  cols: number;
  rows: number;
  alternate_screen: boolean;
}

export interface ScreenModes {
  applicationCursor: boolean;
  bracketedPaste: boolean;
}

export interface ScreenOptions {
  /** Lines of history kept above the visible screen (normal screen only, as in any terminal). */
  scrollback: number;
  /** Receives the emulator's answers to terminal queries, to be written to the program. */
  onReply?: (reply: Uint8Array) => void;
  /** Skip plain text that scrolls away unseen (skip-plain.ts); on unless false. */
  skipPlain?: boolean;
}

/** The one internal of @xterm/headless we rely on: a parse that finishes before it returns. */
type SyncWrite = (data: Uint8Array) => void;

const encoder = new TextEncoder();
const SPACE = 0x20;

function trimTrailingSpaces(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === SPACE) end--;
  return end === text.length ? text : text.slice(0, end);
}

/**
 * Parses synchronously when the installed xterm offers it (CoreTerminal.writeSync, present in the
 * pinned 6.0.0). Why: `Terminal.write` only queues and parses later in 12 ms slices, and Bun's PTY
 * has no way to pause reading, so a fast producer (`cat` of a big file, `yes`) would grow that
 * queue without bound (xterm parses ~30-40 MB/s) and xterm throws the data away past 50 MB.
 * Parsing inside feed() blocks the holder for the length of one PTY read instead, which slows
 * our reads of the PTY and so the program, exactly as a real terminal does. writeSync is only
 * unreliable when mixed with queued writes (it would re-parse a partly parsed queue); an
 * emulator uses one mode or the other for its whole life, never both.
 */
function findSyncWrite(terminal: Terminal): SyncWrite | null {
  const core: unknown = Reflect.get(terminal, "_core");
  if (typeof core !== "object" || core === null) return null;
  const writeSync: unknown = Reflect.get(core, "writeSync");
  if (typeof writeSync !== "function") return null;
  return (data) => writeSync.call(core, data);
}

/** One xterm instance with what the Screen needs from it. */
interface Emulator {
  terminal: Terminal;
  serializer: SerializeAddon;
  syncWrite: SyncWrite | null;
}

function createEmulator(cols: number, rows: number, scrollback: number, onData: (data: string) => void): Emulator {
  const terminal = new Terminal({
    cols,
    rows,
    scrollback,
    // The unicode API is "proposed"; without unicode 11 xterm measures emoji as one cell.
    allowProposedApi: true,
    // xterm logs through console; the holder's stdio goes nowhere and src prints nothing.
    logLevel: "off",
    // CSI 18 t (text area size in characters) is answered by tmux too and reveals nothing;
    // xterm's other window reports stay off (no pixel sizes, no window manipulation).
    windowOptions: { getWinSizeChars: true },
  });
  terminal.loadAddon(new Unicode11Addon());
  terminal.unicode.activeVersion = "11";
  const serializer = new SerializeAddon();
  terminal.loadAddon(serializer);
  // Replies are generated while parsing, i.e. in order with the output that asked.
  terminal.onData(onData);
  return { terminal, serializer, syncWrite: findSyncWrite(terminal) };
}

export class Screen {
  private emulator: Emulator;
  private readonly scrollback: number;
  private readonly onReply: ((reply: Uint8Array) => void) | undefined;
  private answerQueries = true;
  private disposed = false;
  /** Output not parsed yet (synchronous parsing only; see parse-backlog.ts). */
  private readonly backlog: ParseBacklog;

  constructor(cols: number, rows: number, options: ScreenOptions) {
    this.scrollback = options.scrollback;
    this.onReply = options.onReply;
    const skipRule = options.skipPlain === false ? null : () => this.linesToSkipPlain();
    this.backlog = new ParseBacklog((bytes) => this.parseHeldBack(bytes), undefined, skipRule);
    this.emulator = createEmulator(cols, rows, this.scrollback, (data) => this.forwardReply(data));
  }

  private get terminal(): Terminal {
    return this.emulator.terminal;
  }

  /** Output bytes never parsed because they had scrolled away unseen (skip-plain.ts). */
  get skippedBytes(): number {
    return this.backlog.skippedBytes;
  }

  /** Program output, in order. Chunks may split UTF-8 and escape sequences anywhere. */
  feed(bytes: Uint8Array): void {
    if (this.disposed || bytes.length === 0) return;
    if (this.emulator.syncWrite) this.backlog.push(bytes);
    else this.enqueue(bytes);
  }

  /** Resolves once every byte fed so far has been parsed. */
  flush(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (this.emulator.syncWrite) {
      this.backlog.catchUp();
      return Promise.resolve();
    }
    return new Promise((resolve) => this.terminal.write("", resolve));
  }

  resize(cols: number, rows: number): void {
    if (this.disposed) return;
    if (this.emulator.syncWrite) {
      // Output held back was written for the old size.
      this.backlog.catchUp();
      this.terminal.resize(cols, rows);
      return;
    }
    // Queued output was written for the old size: apply the new one after it has been parsed.
    this.terminal.write("", () => this.resizeUnlessDisposed(cols, rows));
  }

  /**
   * The visible screen like `tmux capture-pane -p`: one string per row (trailing blanks trimmed,
   * trailing empty rows kept), preceded by up to `scrollback` history lines. Rejects once disposed.
   */
  async capture(scrollback = 0): Promise<ScreenCapture> {
    await this.flush();
    this.assertLive();
    const buffer = this.terminal.buffer.active;
    // baseY is the first visible row: nothing scrolls a headless terminal's viewport.
    const top = buffer.baseY;
    const first = Math.max(0, top - Math.max(0, Math.floor(scrollback)));
    const lines: string[] = [];
    for (let y = first; y < top + this.terminal.rows; y++) lines.push(this.rowText(y));
    return {
      lines,
      // Like tmux's cursor_x, col equals cols after a write to the last column (wrap pending).
      cursor: { row: buffer.cursorY, col: buffer.cursorX },
      cols: this.terminal.cols,
      rows: this.terminal.rows,
      alternate_screen: buffer.type === "alternate",
    };
  }

  /** DECCKM and bracketed paste as the program last set them (as of the last flush). */
  modes(): ScreenModes {
    if (!this.disposed) this.backlog.catchUp();
    const modes = this.terminal.modes;
    return { applicationCursor: modes.applicationCursorKeysMode, bracketedPaste: modes.bracketedPasteMode };
  }

  /**
   * Escape sequences that redraw the current screen on a fresh terminal of the same size:
   * contents with colours and attributes, the alternate screen (with the normal one beneath it),
   * terminal modes and the cursor position. History is left out, as tmux leaves it out on attach.
   * Rejects once disposed.
   */
  async serialize(): Promise<string> {
    await this.flush();
    this.assertLive();
    return this.emulator.serializer.serialize({ scrollback: 0 });
  }

  /**
   * What a terminal showing this screen must undo when it stops showing it (attach's detach):
   * whether it is on the alternate screen, and where the cursor is once it has left it (0-based).
   * As of the last flush.
   */
  detachState(): { alternateScreen: boolean; cursor: { row: number; col: number } } {
    if (this.disposed) return { alternateScreen: false, cursor: { row: 0, col: 0 } };
    this.backlog.catchUp();
    const normal = this.terminal.buffer.normal;
    return {
      alternateScreen: this.terminal.buffer.active.type === "alternate",
      cursor: { row: normal.cursorY, col: Math.min(normal.cursorX, this.terminal.cols - 1) },
    };
  }

  /**
   * What serialize() leaves out that an attached terminal must also be told: a hidden cursor
   * (top, less) and the mouse report encoding (SGR), without which a terminal would send mouse
   * events in a form the program does not parse. Read from xterm internals, absent ones ignored.
   */
  serializeExtras(): string {
    if (!this.disposed) this.backlog.catchUp();
    const core: unknown = Reflect.get(this.terminal, "_core");
    if (typeof core !== "object" || core === null) return "";
    let extras = "";
    const coreService: unknown = Reflect.get(core, "coreService");
    if (typeof coreService === "object" && coreService !== null && Reflect.get(coreService, "isCursorHidden") === true) extras += "\x1b[?25l";
    const mouse: unknown = Reflect.get(core, "coreMouseService");
    const encoding = typeof mouse === "object" && mouse !== null ? Reflect.get(mouse, "activeEncoding") : undefined;
    if (encoding === "SGR") extras += "\x1b[?1006h";
    else if (encoding === "SGR_PIXELS") extras += "\x1b[?1016h";
    return extras;
  }

  /** On while no real terminal is attached; an attached terminal answers queries itself. */
  setAnswerQueries(on: boolean): void {
    // Output held back is answered as it would have been when it came.
    if (!this.disposed) this.backlog.catchUp();
    this.answerQueries = on;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.backlog.clear();
    this.terminal.dispose();
  }

  /** A disposed xterm no longer keeps its state reliably (and warns on console when touched). */
  private assertLive(): void {
    if (this.disposed) throw new Error("screen disposed");
  }

  private rowText(y: number): string {
    // translateToString skips the placeholder cell after a wide character, so a CJK character
    // or emoji appears once and the text lines up with what tmux prints. Its trimRight only drops
    // never-written cells; tmux also drops written trailing spaces (a coloured background, a
    // line padded with spaces), so trim those too.
    const text = this.terminal.buffer.active.getLine(y)?.translateToString(true) ?? "";
    return trimTrailingSpaces(text);
  }

  /**
   * Lines that must follow plain text for it to be skipped (skip-plain.ts): null unless xterm's
   * parser is in its ground state and no scroll region is set. Read from xterm's internals, which
   * the pinned version has (test/unit/skip-plain.test.ts checks them); anything unexpected means
   * nothing is skipped.
   */
  private linesToSkipPlain(): number | null {
    const core: unknown = Reflect.get(this.terminal, "_core");
    const parser: unknown = core && Reflect.get(Reflect.get(core as object, "_inputHandler") ?? {}, "_parser");
    const buffer: unknown = core && Reflect.get(core as object, "buffer");
    if (!parser || !buffer || Reflect.get(parser as object, "currentState") !== 0) return null;
    const rows = this.terminal.rows;
    if (Reflect.get(buffer as object, "scrollTop") !== 0 || Reflect.get(buffer as object, "scrollBottom") !== rows - 1) return null;
    return 2 * rows + this.scrollback + 1;
  }

  private parseHeldBack(bytes: Uint8Array): void {
    const { syncWrite } = this.emulator;
    if (syncWrite) this.parseNow(syncWrite, bytes);
    else this.enqueue(bytes);
  }

  private parseNow(syncWrite: SyncWrite, bytes: Uint8Array): void {
    try {
      syncWrite(bytes);
    } catch {
      // A throw inside xterm's parser leaves writeSync's re-entrancy flag set: from then on it
      // would only queue, never parse, and keep every later byte. Start over with a blank
      // emulator of the same size; the program's next redraw repaints it.
      this.replaceEmulator();
    }
  }

  private enqueue(bytes: Uint8Array): void {
    try {
      // Queued writes keep a reference until parsed: copy, the caller may reuse its buffer.
      this.terminal.write(bytes.slice());
    } catch {
      // xterm refuses more than 50 MB unparsed. Losing a chunk garbles the screen until the
      // program redraws; failing the holder would be worse.
    }
  }

  private replaceEmulator(): void {
    const { cols, rows } = this.terminal;
    this.terminal.dispose();
    this.emulator = createEmulator(cols, rows, this.scrollback, (data) => this.forwardReply(data));
  }

  private forwardReply(data: string): void {
    if (!this.answerQueries || !this.onReply) return;
    try {
      this.onReply(encoder.encode(data));
    } catch {
      // xterm's event emitter would rethrow this from a timer, an uncaught exception that ends
      // the holder; an unanswered query costs the program at most its own timeout.
    }
  }

  private resizeUnlessDisposed(cols: number, rows: number): void {
    if (!this.disposed) this.terminal.resize(cols, rows);
  }
}
