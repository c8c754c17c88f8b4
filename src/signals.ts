// Signal names: `--signal` accepts TERM, SIGTERM or a number; output always uses the SIG name.
import { constants } from "node:os";
import { invalidArgument } from "./errors.ts";

const SIGNALS = constants.signals as Record<string, number>;

export function parseSignal(value: string): string {
  const v = value.trim();
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    const name = Object.keys(SIGNALS).find((k) => SIGNALS[k] === n);
    if (name) return name;
  } else {
    const upper = v.toUpperCase();
    const name = upper.startsWith("SIG") ? upper : `SIG${upper}`;
    if (name in SIGNALS) return name;
  }
  throw invalidArgument(`unknown signal ${JSON.stringify(value)} (use a name like TERM or SIGTERM, or a number)`);
}
