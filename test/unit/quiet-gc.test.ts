import { describe, expect, test } from "bun:test";
import { QuietCollector } from "../../src/holder/quiet-gc.ts";
import { waitFor } from "../helpers/sandbox.ts";

describe("QuietCollector", () => {
  test("collects once after activity has stopped, then holds no timer", async () => {
    let collected = 0;
    const gc = new QuietCollector(50, () => collected++);
    expect(gc.pending).toBe(false);
    gc.note();
    gc.note();
    expect(gc.pending).toBe(true);
    await waitFor("the collection", () => collected === 1, 2000);
    expect(gc.pending).toBe(false);
    await Bun.sleep(150);
    expect(collected).toBe(1);
  });

  test("activity keeps postponing the collection until it stops", async () => {
    let collected = 0;
    const gc = new QuietCollector(60, () => collected++);
    const started = performance.now();
    gc.note();
    while (performance.now() - started < 300) {
      gc.note();
      await Bun.sleep(10);
    }
    expect(collected).toBe(0);
    await waitFor("the collection", () => collected === 1, 2000);
    expect(gc.pending).toBe(false);
  });

  test("the collection comes the delay after the last activity, not later", async () => {
    let collectedAt = 0;
    const gc = new QuietCollector(200, () => (collectedAt = performance.now()));
    gc.note();
    await Bun.sleep(150);
    gc.note();
    const last = performance.now();
    await waitFor("the collection", () => collectedAt > 0, 2000);
    expect(collectedAt - last).toBeGreaterThanOrEqual(195);
    // Had it waited a whole new period from its first firing, it would come ~350 ms after.
    expect(collectedAt - last).toBeLessThan(330);
  });

  test("stop cancels a pending collection", async () => {
    let collected = 0;
    const gc = new QuietCollector(30, () => collected++);
    gc.note();
    gc.stop();
    await Bun.sleep(100);
    expect(collected).toBe(0);
    expect(gc.pending).toBe(false);
  });

  test("activity that never stops still gets a collection every so often", async () => {
    let collected = 0;
    const gc = new QuietCollector(60, () => collected++, 100);
    const started = performance.now();
    gc.note();
    while (performance.now() - started < 600) {
      gc.note();
      await Bun.sleep(5);
    }
    // About every 100 ms while busy (timers may run late on a loaded machine).
    expect(collected).toBeGreaterThanOrEqual(2);
    gc.stop();
  });
});
