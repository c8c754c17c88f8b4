// The program's output with the echo of the inputs delivered since a given offset taken out, as it
// streams (for --until) and as a whole (a send reply). Output at or after an input's offset may
// hold its echo, so the filter is told of each input exactly where it falls in the byte stream.
import { EchoFilter } from "../../text/echo.ts";
import type { InputEntry } from "./input-log.ts";

export class EchoFreeStream {
  private readonly filter: EchoFilter;
  private readonly decoder = new TextDecoder();
  private readonly inputDecoder = new TextDecoder();
  private next = 0;

  /** `inputs`: those delivered at or after the stream's first offset, oldest first. `forMatching`:
   *  the text is for `--until`, so echoed lines keep their line ends (see EchoFilter). */
  constructor(
    private readonly inputs: readonly InputEntry[],
    forMatching = false,
  ) {
    this.filter = new EchoFilter(forMatching);
  }

  /** Output bytes starting at absolute `offset`, in order; returns the echo-free text decided so far. */
  push(bytes: Uint8Array, offset: number): string {
    let out = "";
    let at = 0;
    while (this.next < this.inputs.length && this.inputs[this.next]!.offset < offset + bytes.length) {
      const input = this.inputs[this.next++]!;
      const cut = Math.max(0, input.offset - offset);
      if (cut > at) out += this.filter.push(this.decoder.decode(bytes.subarray(at, cut), { stream: true }));
      at = Math.max(at, cut);
      this.filter.expect(this.inputDecoder.decode(input.bytes));
    }
    if (at < bytes.length) out += this.filter.push(this.decoder.decode(bytes.subarray(at), { stream: true }));
    return out;
  }

  /** Inputs whose offset is at the stream's end (nothing after them yet) are armed before this. */
  end(): string {
    return this.filter.push(this.decoder.decode()) + this.filter.end();
  }
}

/** The echo-free text of bytes [from, to) whose first byte is at `from`. */
export function echoFreeText(bytes: Uint8Array, from: number, inputs: readonly InputEntry[]): string {
  const s = new EchoFreeStream(inputs);
  return s.push(bytes, from) + s.end();
}
