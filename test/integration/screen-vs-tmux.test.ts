// `read --screen` shows what a terminal shows: the same program, run in a delta-sessions session
// and in a tmux pane of the same size, gives the same text as `tmux capture-pane -p`.
import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { Sandbox, waitFor } from "../helpers/sandbox.ts";

const hasTmux = Bun.which("tmux") !== null;
const box = new Sandbox();
const tmuxSocket = `ds-screen-${process.pid}`;
const tmuxEnv = { ...box.env, TMUX_TMPDIR: box.dir, LANG: "C.UTF-8" };

afterAll(async () => {
  if (hasTmux) Bun.spawnSync(["tmux", "-L", tmuxSocket, "kill-server"], { env: tmuxEnv });
  await box.dispose();
});

function tmux(...args: string[]): string {
  const r = Bun.spawnSync(["tmux", "-L", tmuxSocket, "-f", "/dev/null", ...args], { env: tmuxEnv });
  return r.stdout.toString();
}

/** The programs: each prints, then `DONE` in its last step, and waits. */
const programs: Record<string, string> = {
  "cursor movement and clear": String.raw`printf 'garbage\nmore garbage\n\033[2J\033[Hfirst\033[5;10Hat 5,10\033[2;3Hx\033[10;1HDONE'`,
  "a wrapped long line": String.raw`printf '%s' "$(seq -s ' ' 1 60)"; printf '\nDONE'`,
  "carriage-return overwrite and erase": String.raw`printf 'progress 10%%\rprogress 99%%\rdone\033[K\nabcdef\033[3D\033[1K\nDONE'`,
  "alternate screen in use": String.raw`printf 'main screen text\n\033[?1049h\033[Halt screen line\n\033[3;3Hthere\nDONE'`,
  "alternate screen left": String.raw`printf 'main screen text\n\033[?1049h\033[Halt screen line\033[?1049l\nDONE'`,
  "colours and scrolling": String.raw`for i in $(seq 1 30); do printf '\033[3%dmline %d\033[0m\n' $((i % 8)) $i; done; printf DONE`,
};

describe.skipIf(!hasTmux)("read --screen equals tmux capture-pane -p", () => {
  for (const [name, script] of Object.entries(programs)) {
    test(name, async () => {
      const file = join(box.dir, `${name.replace(/\W+/g, "-")}.sh`);
      await Bun.write(file, `${script}; sleep 600\n`);
      const window = `w${Object.keys(programs).indexOf(name)}`;
      if (tmux("list-sessions").length === 0) tmux("new-session", "-d", "-s", "main", "-x", "80", "-y", "24", "sleep 3600");
      tmux("new-window", "-d", "-t", "main", "-n", window, `sh ${file}`);
      tmux("resize-window", "-t", `main:${window}`, "-x", "80", "-y", "24");
      await waitFor(`tmux window ${window} to show DONE`, () => tmux("capture-pane", "-p", "-t", `main:${window}`).includes("DONE"));
      const expected = tmux("capture-pane", "-p", "-t", `main:${window}`);

      const s = await box.start(["--cols", "80", "--rows", "24", "sh", file]);
      await box.run(["read", s.session_id, "--until", "DONE", "--timeout", "10000"]);
      const screen = await box.run(["read", s.session_id, "--screen"]);
      expect(screen.stdout).toBe(expected);
    });
  }
});
