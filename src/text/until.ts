// `read --until REGEX`: does the plain text (src/text/ansi.ts) of the output seen so far match? Output arrives in chunks
// that may split characters and escape sequences anywhere.
import { UNTIL_WINDOW_CHARS } from "../constants.ts";
import { AnsiStripper } from "./ansi.ts";

/**
 * Matches a pattern against the text seen so far, across chunk boundaries. The text kept for
 * matching is bounded: each new chunk is matched together with the last UNTIL_WINDOW_CHARS
 * characters before it (as Expect bounds its buffer with match_max). Keeping everything would make
 * a long wait over a chatty program grow without limit and re-scan all of it on every chunk.
 */
export class UntilMatcher {
  private readonly decoder = new TextDecoder();
  private readonly stripper = new AnsiStripper();
  private tail = "";

  constructor(
    private readonly re: RegExp,
    private readonly windowChars: number = UNTIL_WINDOW_CHARS,
  ) {}

  /** Takes the next chunk of output; true once the pattern matches. */
  feed(bytes: Uint8Array): boolean {
    return this.feedText(this.decoder.decode(bytes, { stream: true }));
  }

  /** Takes the next piece of output already decoded (escape sequences still in); true once it matches. */
  feedText(raw: string): boolean {
    let done = this.stripper.push(raw);
    // A line that never ends (no LF) is matched within the window too, not kept whole.
    if (this.stripper.pending().length > this.windowChars) done += this.stripper.flush();
    const seen = this.tail + done;
    this.re.lastIndex = 0;
    // The line still being written counts as it stands now: a prompt has no LF yet.
    if (this.re.test(seen + this.stripper.pending())) return true;
    this.tail = seen.length > this.windowChars ? seen.slice(seen.length - this.windowChars) : seen;
    return false;
  }
}
