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
  if (text.length > 0) return typedText(text.join(" "), raw, enter);
  const { decodeEscapeBytes } = await import("../keys/escapes.ts");
  const { readStdin } = await import("../client/input.ts");
  const input = await readStdin();
  const bytes = raw ? input : decodeEscapeBytes(input);
  return enter ? concatBytes([bytes, CR]) : bytes;
}

/** The bytes one text argument stands for (send's --then steps use the same table as write). */
export async function typedText(text: string, raw: boolean, enter: boolean): Promise<Uint8Array> {
  const { decodeEscapes } = await import("../keys/escapes.ts");
  const bytes = raw ? new TextEncoder().encode(text) : decodeEscapes(text);
  return enter ? concatBytes([bytes, CR]) : bytes;
}
