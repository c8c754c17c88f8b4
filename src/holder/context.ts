// What a request handler gets: the session, its own connection, and the holder's controls.
import type { Connection } from "./connection.ts";
import type { HolderSession } from "./session.ts";
import type { HolderConfig } from "./config.ts";

export interface HolderControl {
  /** True once `end` has begun: the normal exit path must leave the clean-up to it. */
  ending: boolean;
  /** Removes the session's files and socket, closes every connection and stops the holder. */
  shutdown(): void;
}

export interface HandlerContext {
  session: HolderSession;
  conn: Connection;
  config: HolderConfig;
  holder: HolderControl;
}
