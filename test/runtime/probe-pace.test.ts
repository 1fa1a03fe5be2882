import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProbeServer } from '../../src/daemon/probe-server.js';
import { ProbeClient } from '../../src/probe/probe-client.js';

// While nobody reads the figures, the probes report one interval in `idleEvery`; the first read makes them
// report every interval again, and `holdMs` after the last read they slow down once more. Real sockets;
// the assertions are on which collected figures were sent, not on timing.

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'tend-pace-'));
  const socketPath = join(dir, 'probe.sock');
  const server = new ProbeServer(socketPath, { idleEvery: 5, holdMs: 150 });
  await server.listen();
  let n = 0;
  const client = new ProbeClient({
    socketPath,
    id: 7,
    pid: process.pid,
    intervalMs: 10,
    reconnectMinMs: 10,
    reconnectMaxMs: 50,
    maxBufferedBytes: 1 << 20,
    collect: () => ({ n: ++n }),
    actionNames: () => [],
    run: async () => ({ ok: true, answer: null }),
    profile: async () => null,
    inspect: async () => null,
  });
  cleanup.push(
    () => rmSync(dir, { recursive: true, force: true }),
    () => server.close(),
    () => client.stop(),
  );
  /** The collection numbers the server received, polled every 2 ms for `ms`, optionally reading (as `tend show` does). */
  const watch = async (ms: number, reading = false): Promise<number[]> => {
    const seen: number[] = [];
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (reading) server.read();
      const value = server.metricsOf(7, process.pid)?.n;
      if (value !== undefined && value !== seen.at(-1)) seen.push(value);
      await new Promise((r) => setTimeout(r, 2));
    }
    return seen;
  };
  return { watch };
}

const steps = (seen: number[]): number[] => seen.slice(1).map((v, i) => v - seen[i]!);

describe("the probes' pace", () => {
  it('nobody reading: one report in five; reading: every interval; quiet again: one in five', async () => {
    const { watch } = await setup();
    const idle = await watch(300);
    // The first report goes at once; then every fifth collection (a missed poll shows as 10).
    expect(idle[0]).toBe(1);
    expect(steps(idle).length).toBeGreaterThan(2);
    expect(steps(idle).every((d) => d % 5 === 0)).toBe(true);

    const read = await watch(200, true);
    expect(steps(read).filter((d) => d === 1).length).toBeGreaterThan(3);

    await watch(250); // the hold runs out
    const quietAgain = await watch(300);
    expect(steps(quietAgain).length).toBeGreaterThan(1);
    expect(steps(quietAgain).every((d) => d % 5 === 0)).toBe(true);
  });
});
