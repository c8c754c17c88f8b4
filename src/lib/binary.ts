// The executable `start` runs as the session's holder (the library itself is not one): the `bin`
// option, else $DELTA_SESSIONS_BIN, else the package's own dist/delta-sessions, else
// delta-sessions on PATH.
import { accessSync, constants as fsConstants, statSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ENV_BIN } from "../constants.ts";
import { DeltaError, ErrorCode } from "../errors.ts";
import { which } from "../client/transport.ts";

const EXECUTABLE = "delta-sessions";

/** Where the package's own binary is, seen from the bundled library (dist/lib/index.js) and from
 *  the source tree (src/lib/binary.ts). */
const OWN_CANDIDATES = ["../delta-sessions", "../../dist/delta-sessions"];

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, fsConstants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function findBinary(bin: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const tried: string[] = [];
  // Absolute: the holder is started in "/".
  const given = (what: string, path: string): string => {
    if (isExecutableFile(path)) return resolve(path);
    throw new DeltaError(ErrorCode.COMMAND_NOT_FOUND, `${what} ${path} is not an executable file`);
  };
  if (bin !== undefined) return given("the bin option:", bin);
  const fromEnv = env[ENV_BIN];
  if (fromEnv) return given(`$${ENV_BIN}:`, fromEnv);
  tried.push(`the bin option (not given)`, `$${ENV_BIN} (not set)`);
  for (const rel of OWN_CANDIDATES) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (isExecutableFile(path)) return path;
  }
  tried.push(`the package's own dist/${EXECUTABLE} (not there)`);
  const onPath = which(EXECUTABLE, env.PATH ?? "", process.cwd());
  if (onPath) return onPath;
  tried.push(`${EXECUTABLE} on PATH (not found)`);
  throw new DeltaError(ErrorCode.COMMAND_NOT_FOUND, `cannot find the delta-sessions executable to start a session; looked at ${tried.join(", ")}`);
}
