// The version this binary reports (`--version`), embedded at build time (scripts/build.ts).
declare const DELTA_SESSIONS_VERSION: string;
declare const DELTA_SESSIONS_COMMIT: string;

export function versionString(): string {
  const version = typeof DELTA_SESSIONS_VERSION === "string" ? DELTA_SESSIONS_VERSION : "0.0.0-dev";
  const commit = typeof DELTA_SESSIONS_COMMIT === "string" && DELTA_SESSIONS_COMMIT ? ` (${DELTA_SESSIONS_COMMIT})` : "";
  return `delta-sessions ${version}${commit}`;
}
