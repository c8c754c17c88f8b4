// What `list` and `status` print for a person at a terminal (agents, pipes and --json get JSON).
import { shellJoin } from "../text/shell-quote.ts";

export interface ListRow {
  session_id: string;
  name: string | null;
  status: string;
  pid: number;
  created_at: string;
  command: string[];
  exit_code: number | null;
  signal: string | null;
}

/** Aligned columns; the last one is cut with "…" so that lines fit `width` (when given). */
export function formatTable(headers: string[], rows: string[][], width?: number): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const render = (cells: string[]) => {
    const fixed = cells.slice(0, -1).map((c, i) => c.padEnd(widths[i]!)).join("  ");
    const prefix = cells.length > 1 ? fixed + "  " : "";
    return (prefix + fit(cells[cells.length - 1] ?? "", width === undefined ? Infinity : width - prefix.length)).trimEnd();
  };
  return [headers, ...rows].map(render).join("\n") + "\n";
}

function fit(text: string, room: number): string {
  if (text.length <= room) return text;
  if (room <= 1) return room === 1 ? "…" : "";
  return text.slice(0, room - 1) + "…";
}

/** 42s, 5m, 3h, 2d: how long ago, in the largest whole unit. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

function formatStatus(row: Pick<ListRow, "status" | "exit_code" | "signal">): string {
  if (row.status !== "exited") return row.status;
  // A signal death has no exit code; the signal is what says how it ended.
  if (row.signal !== null) return `exited(${row.signal})`;
  return row.exit_code !== null ? `exited(${row.exit_code})` : row.status;
}

export function renderSessionList(rows: ListRow[], now: number, width?: number): string {
  if (rows.length === 0) return "no sessions\n";
  return formatTable(
    ["ID", "NAME", "STATUS", "PID", "AGE", "COMMAND"],
    rows.map((r) => [r.session_id, r.name ?? "-", formatStatus(r), String(r.pid), formatAge(now - Date.parse(r.created_at)), shellJoin(r.command)]),
    width,
  );
}

/** `status` as "field  value" lines, in the JSON document's order. */
export function renderStatus(doc: Record<string, unknown>): string {
  const rows = Object.entries(doc).map(([k, v]) => [k, v === null ? "-" : Array.isArray(v) ? shellJoin(v as string[]) : String(v)]);
  const width = Math.max(...rows.map(([k]) => k!.length));
  return rows.map(([k, v]) => `${k!.padEnd(width)}  ${v}`).join("\n") + "\n";
}
