import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killTreeAndWait, reapLeftovers, signalTree, snapshotTree } from '../../src/runtime/kill-tree.js';
import { readStartTime } from '../../src/runtime/process-tree.js';
import { spawnInstance } from '../../src/runtime/spawn-instance.js';
import type { SpawnedProcess } from '../../src/runtime/spawn-instance.js';
import { Sandbox, fixtureSpec, isRunning, readText, waitFor } from './helpers.js';

let box: Sandbox;
afterEach(async () => {
  expect(await box.cleanup()).toEqual([]);
});

/** Starts spawns-child.js and returns the app and its child's pid once the child is up. */
async function startParentAndChild(env: Record<string, string> = {}): Promise<{ app: SpawnedProcess; child: number }> {
  const pidFile = path.join(box.dir, 'child.pid');
  const spec = fixtureSpec(box.dir, 'spawns-child.js', { run: { env: { CHILD_PID_FILE: pidFile, ...env } } });
  const app = await spawnInstance({ spec, instance: 0, id: 0 });
  box.track(app.pid);
  await waitFor(() => readText(pidFile).length > 0, 5000, 'child pid file');
  const child = box.trackFromFile(pidFile);
  await waitFor(() => isRunning(child), 5000, 'child to run');
  return { app, child };
}

async function startIgnoringSigint(): Promise<SpawnedProcess> {
  const spec = fixtureSpec(box.dir, 'ignores-sigint.js');
  const app = await spawnInstance({ spec, instance: 0, id: 0 });
  box.track(app.pid);
  await waitFor(() => readText(spec.logs.out!).includes('ready'), 5000, 'signal handlers');
  return app;
}

describe('signalTree', () => {
  it('reaches the grandchild in the same process group', async () => {
    box = new Sandbox();
    const { app, child } = await startParentAndChild();
    const signalled = signalTree(app.pid, 'SIGTERM');
    expect(signalled.sort()).toEqual([app.pid, child].sort());
    expect(await app.exited).toEqual({ code: null, signal: 'SIGTERM' });
    await waitFor(() => !isRunning(child), 3000, 'grandchild to exit');
  });

  it('reaches a grandchild that left the group for its own session', async () => {
    box = new Sandbox();
    const { app, child } = await startParentAndChild({ CHILD_DETACHED: '1' });
    expect(signalTree(app.pid, 'SIGTERM').sort()).toEqual([app.pid, child].sort());
    await app.exited;
    await waitFor(() => !isRunning(child), 3000, 'detached grandchild to exit');
  });

  it('signals nothing when the pid now belongs to another process', async () => {
    box = new Sandbox();
    const spec = fixtureSpec(box.dir, 'forever.js');
    const app = await spawnInstance({ spec, instance: 0, id: 0 });
    box.track(app.pid);
    expect(signalTree(app.pid, 'SIGTERM', { startTime: app.startTime + 1 })).toEqual([]);
    expect(isRunning(app.pid)).toBe(true);
  });

  it('still reaches a child left in the group once the app itself has exited', async () => {
    box = new Sandbox();
    const { app, child } = await startParentAndChild();
    process.kill(app.pid, 'SIGKILL');
    await app.exited;
    expect(signalTree(app.pid, 'SIGKILL')).toEqual([child]);
    await waitFor(() => !isRunning(child), 3000, 'child to exit');
  });

  it('still reaches a remembered child in a session of its own once the app has exited', async () => {
    box = new Sandbox();
    const { app, child } = await startParentAndChild({ CHILD_DETACHED: '1' });
    const known = snapshotTree(app.pid);
    process.kill(app.pid, 'SIGKILL');
    await app.exited;
    expect(signalTree(app.pid, 'SIGKILL', { known })).toEqual([child]);
    await waitFor(() => !isRunning(child), 3000, 'detached child to exit');
  });

  it('signals nothing once the app and everything in its group are gone', async () => {
    box = new Sandbox();
    const spec = fixtureSpec(box.dir, 'forever.js');
    const app = await spawnInstance({ spec, instance: 0, id: 0 });
    box.track(app.pid);
    const known = snapshotTree(app.pid);
    process.kill(app.pid, 'SIGKILL');
    await app.exited;
    expect(signalTree(app.pid, 'SIGKILL', { known })).toEqual([]);
  });

  it('refuses pids that would signal everything', () => {
    box = new Sandbox();
    for (const pid of [0, 1, -5, 1.5]) expect(() => signalTree(pid, 'SIGTERM')).toThrow(RangeError);
  });
});

describe('killTreeAndWait', () => {
  it('ends without force when the tree honours the signal', async () => {
    box = new Sandbox();
    const { app, child } = await startParentAndChild();
    expect(await killTreeAndWait(app.pid, 'SIGINT', 3000, 20)).toEqual({ forced: false, survivors: [] });
    expect(isRunning(app.pid) || isRunning(child)).toBe(false);
  });

  it('SIGKILLs a tree that ignores SIGINT once the timeout passes', async () => {
    box = new Sandbox();
    const app = await startIgnoringSigint();
    const started = Date.now();
    const outcome = await killTreeAndWait(app.pid, 'SIGINT', 300, 20, { startTime: app.startTime });
    const elapsed = Date.now() - started;
    expect(outcome).toEqual({ forced: true, survivors: [] });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(await app.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(isRunning(app.pid)).toBe(false);
  });
});

describe('reapLeftovers', () => {
  it('stops the children a crashed app left holding its resources', async () => {
    box = new Sandbox();
    const { app, child } = await startParentAndChild({ EXIT_AFTER_MS: '300' });
    const known = snapshotTree(app.pid, { startTime: app.startTime });
    expect(known.map((r) => r.pid).sort()).toEqual([app.pid, child].sort());
    expect(await app.exited).toEqual({ code: 0, signal: null });
    expect(isRunning(child)).toBe(true);
    const outcome = await reapLeftovers({ pid: app.pid, startTime: app.startTime }, known, 'SIGTERM', 2000, 20);
    expect(outcome).toEqual({ forced: false, survivors: [] });
    expect(isRunning(child)).toBe(false);
  });

  it('finds a leftover that left the group through what was remembered', async () => {
    box = new Sandbox();
    const { app, child } = await startParentAndChild({ EXIT_AFTER_MS: '300', CHILD_DETACHED: '1' });
    const known = snapshotTree(app.pid);
    await app.exited;
    expect(readStartTime(child)).not.toBeNull();
    await reapLeftovers({ pid: app.pid, startTime: app.startTime }, known, 'SIGTERM', 2000, 20);
    expect(isRunning(child)).toBe(false);
  });
});
