// The write queue over a real Unix socket whose reader is slower than the writer: every byte
// arrives, in order, and the queue empties once the reader has caught up.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { WriteQueue } from "../../src/protocol/write-queue.ts";

const dir = mkdtempSync("/tmp/ds-wq-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("32 MiB through a socket the kernel keeps refusing: all of it, in order", async () => {
  const total = 32 * 1024 * 1024;
  const received: Uint8Array[] = [];
  let receivedBytes = 0;
  let allIn!: () => void;
  const done = new Promise<void>((resolve) => (allIn = resolve));
  const server = Bun.listen({
    unix: join(dir, "s.sock"),
    socket: {
      data(_s, data) {
        received.push(new Uint8Array(data));
        receivedBytes += data.length;
        if (receivedBytes >= total) allIn();
      },
    },
  });
  let queue!: WriteQueue;
  let progress = 0;
  let drained = 0;
  const client = await Bun.connect({
    unix: join(dir, "s.sock"),
    socket: {
      data() {},
      drain() {
        if (queue.flush()) drained++;
      },
    },
  });
  queue = new WriteQueue((bytes) => client.write(bytes), () => progress++);
  const chunk = 256 * 1024;
  for (let at = 0; at < total; at += chunk) {
    const bytes = new Uint8Array(chunk);
    for (let i = 0; i < chunk; i += 4096) bytes[i] = (at + i) / 4096 % 251;
    queue.push(bytes);
  }
  // The kernel's socket buffer is far smaller than 32 MiB: most of it had to wait in the queue.
  expect(queue.queuedBytes).toBeGreaterThan(total / 2);
  await done;
  expect(queue.isEmpty).toBe(true);
  expect(queue.queuedBytes).toBe(0);
  expect(drained).toBeGreaterThan(0);
  expect(progress).toBeGreaterThan(1);
  const all = new Uint8Array(receivedBytes);
  let at = 0;
  for (const r of received) {
    all.set(r, at);
    at += r.length;
  }
  expect(all.length).toBe(total);
  for (let i = 0; i < total; i += 4096) if (all[i] !== (i / 4096) % 251) throw new Error(`byte ${i} out of order`);
  client.end();
  server.stop(true);
});
