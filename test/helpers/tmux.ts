// A real terminal for tests of `attach`: a private tmux server (its own socket name, no config
// file) whose panes run what the test types, read back with capture-pane. Every wait polls a
// condition against a deadline; kill() stops the server this helper started, and only it.
import { waitFor } from "./sandbox.ts";

let counter = 0;

export class Tmux {
  readonly socketName = `ds-test-${process.pid}-${Date.now().toString(36)}-${counter++}`;
  private started = false;

  /** `env` becomes the server's environment, and so every pane's. */
  constructor(private readonly env: Record<string, string>) {}

  run(args: string[]): string {
    const proc = Bun.spawnSync(["tmux", "-L", this.socketName, "-f", "/dev/null", ...args], { env: this.env, stdout: "pipe", stderr: "pipe" });
    if (proc.exitCode !== 0) throw new Error(`tmux ${args.join(" ")} failed (${proc.exitCode}): ${proc.stderr.toString()}`);
    return proc.stdout.toString();
  }

  /** A new window (its own tmux session) running `command`; returns its pane target. */
  newPane(name: string, command: string, cols = 100, rows = 30): string {
    this.run(["new-session", "-d", "-s", name, "-x", String(cols), "-y", String(rows), command]);
    this.started = true;
    // Panes do not close when their command ends, so what it printed last can still be read.
    this.run(["set-option", "-t", name, "remain-on-exit", "on"]);
    return `${name}:0.0`;
  }

  /** A pane running an interactive bash with a known prompt, with no startup files. */
  newShell(name: string, cols = 100, rows = 30): string {
    const target = this.newPane(name, "env PS1='outer$ ' bash --norc --noprofile -i", cols, rows);
    return target;
  }

  /** Types text literally (no key names), then optionally Enter. */
  type(target: string, text: string, enter = true): void {
    this.run(["send-keys", "-t", target, "-l", text]);
    if (enter) this.run(["send-keys", "-t", target, "Enter"]);
  }

  /** Sends keys by tmux name (C-\\, Up, Enter…). */
  keys(target: string, ...keys: string[]): void {
    this.run(["send-keys", "-t", target, ...keys]);
  }

  /** The visible pane, one string per row, trailing blanks trimmed (tmux's own trimming). */
  capture(target: string): string[] {
    const text = this.run(["capture-pane", "-p", "-t", target]);
    const lines = text.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    return lines;
  }

  /** The pane with lines that wrapped joined back into one (capture-pane -J). */
  captureJoined(target: string): string[] {
    return this.run(["capture-pane", "-p", "-J", "-t", target]).split("\n");
  }

  /** A format variable of the pane, e.g. #{alternate_on}. */
  display(target: string, format: string): string {
    return this.run(["display-message", "-p", "-t", target, format]).trimEnd();
  }

  size(target: string): { cols: number; rows: number } {
    const [cols, rows] = this.display(target, "#{pane_width} #{pane_height}").split(" ").map(Number);
    return { cols: cols!, rows: rows! };
  }

  /** Resizes the pane's window (the program in it gets SIGWINCH). */
  resize(target: string, cols: number, rows: number): void {
    this.run(["resize-window", "-t", target.split(":")[0]!, "-x", String(cols), "-y", String(rows)]);
  }

  /** Waits until the pane shows text matching `pattern`; returns the pane's lines. */
  async waitForText(target: string, pattern: RegExp | string, timeoutMs = 10_000): Promise<string[]> {
    let lines: string[] = [];
    const test = (text: string) => (typeof pattern === "string" ? text.includes(pattern) : pattern.test(text));
    try {
      await waitFor(
        `pane ${target} to show ${pattern}`,
        () => {
          lines = this.capture(target);
          return test(lines.join("\n"));
        },
        timeoutMs,
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}; the pane shows:\n${lines.join("\n")}`);
    }
    return lines;
  }

  /** Waits until the pane's program has exited (remain-on-exit keeps the pane). */
  async waitForExit(target: string, timeoutMs = 10_000): Promise<void> {
    await waitFor(`pane ${target} to exit`, () => this.display(target, "#{pane_dead}") === "1", timeoutMs);
  }

  /** Stops this private server (and the programs in its panes). */
  kill(): void {
    if (!this.started) return;
    Bun.spawnSync(["tmux", "-L", this.socketName, "-f", "/dev/null", "kill-server"], { env: this.env, stdout: "ignore", stderr: "ignore" });
    this.started = false;
  }
}
