// The bytes `write` and `send` type: the TEXT arguments joined by spaces, or stdin when there are
// none; escapes decoded unless --raw; --enter appends a carriage return.
import { concatBytes } from "../text/bytes.ts";

const CR = new Uint8Array([0x0d]);

/** The ID and TEXT… arguments and the options of every command that types (write, send). */
export const TYPING_POSITIONALS = [
  { name: "ID", kind: "session" },
  { name: "TEXT", kind: "rest" },
] as const;
export const TYPING_OPTIONS = {
  raw: { kind: "boolean", description: "send the bytes untouched (no escape decoding)" },
  enter: { kind: "boolean", description: "append a carriage return (Enter)" },
  paste: { kind: "boolean", description: "send as a bracketed paste when the program enabled it" },
} as const;

export async function inputFromArgs(text: string[], raw: boolean, enter: boolean): Promise<Uint8Array> {
  const { decodeEscapes, decodeEscapeBytes } = await import("../keys/escapes.ts");
  let bytes: Uint8Array;
  if (text.length > 0) bytes = raw ? new TextEncoder().encode(text.join(" ")) : decodeEscapes(text.join(" "));
  else {
    const { readStdin } = await import("../client/input.ts");
    const input = await readStdin();
    bytes = raw ? input : decodeEscapeBytes(input);
  }
  return enter ? concatBytes([bytes, CR]) : bytes;
}
