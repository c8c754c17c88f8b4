// The inputs delivered to the program, each with the output offset at the moment it was delivered:
// output at or after that offset may hold its echo (see text/echo.ts). Bounded: the last
// INPUT_LOG_ENTRIES inputs, each cut to INPUT_LOG_ENTRY_BYTES.
import { INPUT_LOG_ENTRIES, INPUT_LOG_ENTRY_BYTES } from "../../constants.ts";

export interface InputEntry {
  offset: number;
  bytes: Uint8Array;
}

export class InputLog {
  private readonly entries: InputEntry[] = [];

  record(offset: number, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const kept = bytes.length > INPUT_LOG_ENTRY_BYTES ? bytes.slice(0, INPUT_LOG_ENTRY_BYTES) : bytes.slice();
    this.entries.push({ offset, bytes: kept });
    if (this.entries.length > INPUT_LOG_ENTRIES) this.entries.shift();
  }

  /** Inputs delivered at or after `offset`, oldest first. */
  since(offset: number): InputEntry[] {
    return this.entries.filter((e) => e.offset >= offset);
  }
}
