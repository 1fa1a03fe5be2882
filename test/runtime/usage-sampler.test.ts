import { readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnInstance } from '../../src/runtime/spawn-instance.js';
import { createUsageSampler, sampleWithPidusage } from '../../src/runtime/usage-sampler.js';
import { Sandbox, fixtureSpec, readText, waitFor } from './helpers.js';

let box: Sandbox;
afterEach(async () => {
  expect(await box.cleanup()).toEqual([]);
});

/** An app that started a child which stays up, both tracked by the sandbox for cleanup. */
async function appWithChild() {
  box = new Sandbox();
  const pidFile = path.join(box.dir, 'child.pid');
  const spec = fixtureSpec(box.dir, 'spawns-child.js', { run: { env: { CHILD_PID_FILE: pidFile } } });
  const app = await spawnInstance({ spec, instance: 0, id: 0 });
  box.track(app.pid);
  await waitFor(() => readText(pidFile).length > 0, 5000, 'child pid file');
  return { app, child: box.trackFromFile(pidFile) };
}

describe('usage sampler on real processes', () => {
  it('counts the memory of the children an app started', async () => {
    const { app, child } = await appWithChild();

    const sampler = createUsageSampler({
      intervalMs: 1000,
      roots: () => [{ pid: app.pid, everyTick: true }],
      onSample: () => undefined,
    });
    try {
      const alone = await sampleWithPidusage([app.pid, child]);
      const tree = (await sampler.sampleNow()).get(app.pid);
      const own = alone.get(app.pid)!.rss;
      const childRss = alone.get(child)!.rss;
      expect(childRss).toBeGreaterThan(10 * 1024 * 1024);
      // The tree total is the parent plus the child (RSS moves a little between the two reads).
      expect(tree!.rss).toBeGreaterThan(own + childRss * 0.8);
      expect(tree!.rss).toBeLessThan((own + childRss) * 1.5);
    } finally {
      sampler.stop();
    }
  });

  it('holds no file of a tree once its processes have exited, so restarts do not leak descriptors', async () => {
    const { app, child } = await appWithChild();
    const openStats = (): string[] =>
      readdirSync('/proc/self/fd').flatMap((fd) => {
        try {
          const target = readlinkSync(`/proc/self/fd/${fd}`);
          return target === `/proc/${app.pid}/stat` || target === `/proc/${child}/stat` ? [target] : [];
        } catch {
          return [];
        }
      });
    const sampler = createUsageSampler({
      intervalMs: 1000,
      roots: () => [{ pid: app.pid, everyTick: true }],
      onSample: () => undefined,
    });
    try {
      await sampler.sampleNow();
      expect(openStats().sort()).toEqual([`/proc/${app.pid}/stat`, `/proc/${child}/stat`].sort());
      process.kill(child, 'SIGKILL');
      process.kill(app.pid, 'SIGKILL');
      await app.exited;
      await waitFor(() => !readdirSync('/proc').includes(String(child)), 5000, 'child gone');
      expect(await sampler.sampleNow()).toEqual(new Map([[app.pid, null]]));
      expect(openStats()).toEqual([]);
    } finally {
      sampler.stop();
    }
  });

  it('reports null for a process that is gone', async () => {
    box = new Sandbox();
    const spec = fixtureSpec(box.dir, 'crash-immediately.js');
    const app = await spawnInstance({ spec, instance: 0, id: 0 });
    box.track(app.pid);
    await app.exited;
    const sampler = createUsageSampler({
      intervalMs: 1000,
      roots: () => [{ pid: app.pid, everyTick: true }],
      onSample: () => undefined,
    });
    try {
      expect(await sampler.sampleNow()).toEqual(new Map([[app.pid, null]]));
      expect(await sampleWithPidusage([app.pid, process.pid])).toEqual(
        new Map([
          [app.pid, null],
          [process.pid, expect.objectContaining({ rss: expect.any(Number) })],
        ]),
      );
    } finally {
      sampler.stop();
    }
  });
});
