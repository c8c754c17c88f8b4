// The remote server's wire: JSON lines on a Unix socket (forwarded over ssh). One connection runs
// one command. The server greets first, so a connection that closes without a greeting reached no
// server (ssh accepted it, then found nothing listening there) and the request was never read.
//
//   server: {"type":"hello","version":V}
//   client: {"type":"run","version":V,"argv":[…],"terminal":[stdout is a tty, stderr is a tty]}
//   server: {"type":"out","fd":1|2,"data":base64}…  {"type":"stdin"} (the command reads stdin)
//   client: {"type":"stdin","data":base64}           (all of it, once asked)
//   server: {"type":"exit","code":N}  or  {"type":"mismatch","version":V} (nothing was run)

export type ServerMessage =
  | { type: "hello"; version: string }
  | { type: "out"; fd: 1 | 2; data: string }
  | { type: "stdin" }
  | { type: "exit"; code: number }
  | { type: "mismatch"; version: string };

export type ClientMessage =
  | { type: "run"; version: string; argv: string[]; terminal: [boolean, boolean] }
  | { type: "stdin"; data: string };

/** Parses one line from the other end; null when it is not a message of the expected kind. */
export function parseMessage<T extends { type: string }>(line: string, types: readonly T["type"][]): T | null {
  try {
    const value = JSON.parse(line) as unknown;
    if (typeof value !== "object" || value === null) return null;
    const type = (value as { type?: unknown }).type;
    return typeof type === "string" && (types as readonly string[]).includes(type) ? (value as T) : null;
  } catch {
    return null;
  }
}
