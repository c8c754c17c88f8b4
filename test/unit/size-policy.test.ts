// The session's size while people are attached: tmux's `latest`, with agents' resizes as activity
// and the agents' size back once the last person has left.
import { expect, test } from "bun:test";
import { SizePolicy } from "../../src/holder/attach/size-policy.ts";

type Step =
  | ["agent", number, number]
  | ["attach", number, number, number]
  | ["detach", number]
  | ["resize", number, number, number]
  | ["type", number];

const cases: Array<{ name: string; steps: Step[]; expected: string }> = [
  { name: "nobody attached: the start size", steps: [], expected: "120x30" },
  { name: "an agent's resize", steps: [["agent", 80, 24]], expected: "80x24" },
  { name: "one person attached: their size", steps: [["attach", 1, 100, 40]], expected: "100x40" },
  { name: "the person left: the agents' size again", steps: [["attach", 1, 100, 40], ["detach", 1]], expected: "120x30" },
  { name: "the second to attach is the latest", steps: [["attach", 1, 100, 40], ["attach", 2, 70, 20]], expected: "70x20" },
  { name: "typing makes a terminal the latest", steps: [["attach", 1, 100, 40], ["attach", 2, 70, 20], ["type", 1]], expected: "100x40" },
  { name: "resizing a terminal makes it the latest", steps: [["attach", 1, 100, 40], ["attach", 2, 70, 20], ["type", 1], ["resize", 2, 90, 25]], expected: "90x25" },
  { name: "the latest left: the one active before it", steps: [["attach", 1, 100, 40], ["attach", 2, 70, 20], ["detach", 2]], expected: "100x40" },
  { name: "an agent's resize wins while attached…", steps: [["attach", 1, 100, 40], ["agent", 50, 12]], expected: "50x12" },
  { name: "…until the person types", steps: [["attach", 1, 100, 40], ["agent", 50, 12], ["type", 1]], expected: "100x40" },
  { name: "the agents' latest size is what comes back", steps: [["attach", 1, 100, 40], ["agent", 50, 12], ["type", 1], ["detach", 1]], expected: "50x12" },
  { name: "events about unknown terminals change nothing", steps: [["type", 9], ["resize", 9, 10, 10], ["detach", 9]], expected: "120x30" },
];

for (const c of cases) {
  test(c.name, () => {
    const p = new SizePolicy({ cols: 120, rows: 30 });
    for (const s of c.steps) {
      if (s[0] === "agent") p.resizeByAgent({ cols: s[1], rows: s[2] });
      else if (s[0] === "attach") p.attach(s[1], { cols: s[2], rows: s[3] });
      else if (s[0] === "detach") p.detach(s[1]);
      else if (s[0] === "resize") p.resizeTerminal(s[1], { cols: s[2], rows: s[3] });
      else p.touch(s[1]);
    }
    const t = p.target();
    expect(`${t.cols}x${t.rows}`).toBe(c.expected);
  });
}
