// asciicast v2 (the format `asciinema play` replays): a JSON header line, then one JSON array per
// event, [seconds since start, code, data]: "o" output, "i" input, "r" resize ("COLSxROWS").
// Event data are strings, so bytes are decoded as UTF-8 in streaming mode: a character split
// across two reads is emitted whole with the second. Bytes that are not valid UTF-8 cannot be
// represented in the format and become U+FFFD, as in asciinema's own recordings.
import { shellJoin } from "../../text/shell-quote.ts";

export interface CastHeader {
  cols: number;
  rows: number;
  /** Start of the recording, Unix seconds. */
  timestamp: number;
  command: string[];
  env: Record<string, string>;
}

export class AsciicastEncoder {
  private readonly outputDecoder = new TextDecoder("utf-8");
  private readonly inputDecoder = new TextDecoder("utf-8");

  /** `startMs` is the performance.now() the event times count from. */
  constructor(private readonly startMs: number) {}

  header(h: CastHeader): string {
    return (
      JSON.stringify({
        version: 2,
        width: h.cols,
        height: h.rows,
        timestamp: Math.floor(h.timestamp),
        command: shellJoin(h.command),
        env: h.env,
      }) + "\n"
    );
  }

  /** Output bytes; "" while they hold only the start of a character. */
  output(bytes: Uint8Array, atMs: number): string {
    return this.event(atMs, "o", this.outputDecoder.decode(bytes, { stream: true }));
  }

  input(bytes: Uint8Array, atMs: number): string {
    return this.event(atMs, "i", this.inputDecoder.decode(bytes, { stream: true }));
  }

  resize(cols: number, rows: number, atMs: number): string {
    return this.event(atMs, "r", `${cols}x${rows}`);
  }

  /** The end of the streams: an unfinished character is emitted as U+FFFD. */
  finish(atMs: number): string {
    return this.event(atMs, "o", this.outputDecoder.decode()) + this.event(atMs, "i", this.inputDecoder.decode());
  }

  private event(atMs: number, code: "o" | "i" | "r", data: string): string {
    if (data === "") return "";
    return JSON.stringify([this.seconds(atMs), code, data]) + "\n";
  }

  /** Seconds since the start, to the microsecond, never negative. */
  private seconds(atMs: number): number {
    return Math.max(0, Math.round((atMs - this.startMs) * 1000) / 1e6);
  }
}
