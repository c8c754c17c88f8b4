// delta-sessions as a library (SPEC §12): `import { SessionManager, Session, SessionError } from
// "delta-sessions"`, in Node >= 20 and Bun. The same client functions as the CLI and the MCP
// server, on connections kept between calls.
import { HolderConnection } from "../client/connection.ts";

// A library's connections must not keep its caller's program alive when nobody waits on them.
HolderConnection.keepsProcessAlive = false;

export { SessionManager } from "./manager.ts";
export { Session } from "./session.ts";
export { SessionError } from "./errors.ts";
export type * from "./types.ts";
