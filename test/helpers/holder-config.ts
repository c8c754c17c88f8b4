// A valid holder configuration for unit tests of the launch contract and the holder's helpers.
import type { HolderConfig } from "../../src/protocol/launch.ts";

export function sampleHolderConfig(overrides: Partial<HolderConfig> = {}): HolderConfig {
  return {
    session_id: "sess_0123456789ab",
    name: null,
    sessions_dir: "/s",
    runtime_dir: "/r",
    command: ["bash"],
    cwd: "/",
    env: {},
    cols: 80,
    rows: 24,
    buffer_size: 1024,
    record: null,
    shell_integration: false,
    ...overrides,
  };
}
