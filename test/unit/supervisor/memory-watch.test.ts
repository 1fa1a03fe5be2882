import { describe, expect, it } from 'vitest';
import { bringOnline, supervise } from './harness.js';

const MB = 1024 * 1024;
const watch = { paths: ['/srv/app'], ignore: [], delayMs: 0 };

describe('max_memory_restart', () => {
  it('over the limit while online: restart, counted with reason memory', () => {
    const p = supervise({ policy: { maxMemoryRestartBytes: 100 * MB } });
    bringOnline(p, 3);
    p.send({ type: 'MEMORY', rss: 100 * MB + 1 });
    expect(p.view()).toMatchObject({ status: 'stopping', restarts: 1, lastRestartReason: 'memory' });
    expect(p.calls.signals).toEqual([{ pid: 3, signal: 'SIGINT', withMessage: false }]);
    p.send({ type: 'EXITED', code: null, signal: 'SIGINT' });
    expect(p.status()).toBe('launching');
    expect(p.calls.spawn).toBe(2);
  });

  it.each([
    { name: 'at the limit', limit: 100 * MB, rss: 100 * MB },
    { name: 'under the limit', limit: 100 * MB, rss: 50 * MB },
    { name: 'no limit set', limit: null, rss: 10_000 * MB },
  ])('$name: nothing happens', ({ limit, rss }) => {
    const p = supervise({ policy: { maxMemoryRestartBytes: limit } });
    bringOnline(p);
    p.send({ type: 'MEMORY', rss });
    expect(p.view()).toMatchObject({ status: 'online', restarts: 0 });
    expect(p.calls.signals).toEqual([]);
  });

  it('a sample that arrives while launching is ignored', () => {
    const p = supervise({ policy: { maxMemoryRestartBytes: 1, waitReady: true } });
    p.send({ type: 'SPAWNED', pid: 3 });
    p.send({ type: 'MEMORY', rss: 10 * MB });
    expect(p.status()).toBe('launching');
  });

  it('a limit lowered in place acts on the next sample', () => {
    const p = supervise();
    bringOnline(p);
    p.send({ type: 'POLICY', policy: { ...p.view().policy, maxMemoryRestartBytes: 10 * MB } });
    p.send({ type: 'MEMORY', rss: 20 * MB });
    expect(p.view()).toMatchObject({ status: 'stopping', lastRestartReason: 'memory' });
  });
});

describe('watch', () => {
  it('a file change while online restarts it, reason watch', () => {
    const p = supervise({ policy: { watch } });
    bringOnline(p);
    p.send({ type: 'FILES_CHANGED' });
    expect(p.view()).toMatchObject({ status: 'stopping', restarts: 1, lastRestartReason: 'watch' });
    p.send({ type: 'EXITED', code: null, signal: 'SIGINT' });
    expect(p.status()).toBe('launching');
  });

  it('a file change while waiting to restart starts it now', () => {
    const p = supervise({ policy: { watch, restartDelayMs: 10_000 } });
    bringOnline(p);
    p.send({ type: 'EXITED', code: 1, signal: null });
    p.send({ type: 'FILES_CHANGED' });
    expect(p.view()).toMatchObject({ status: 'launching', lastRestartReason: 'watch', nextRestartAt: null });
    expect(p.calls.spawn).toBe(2);
  });

  it('a file change while launching restarts the new process once it is known', () => {
    const p = supervise({ policy: { watch } });
    p.send({ type: 'FILES_CHANGED' });
    expect(p.status()).toBe('stopping');
    p.send({ type: 'SPAWNED', pid: 4 });
    expect(p.calls.signals).toHaveLength(1);
    p.send({ type: 'EXITED', code: null, signal: 'SIGINT' });
    expect(p.status()).toBe('launching');
    expect(p.calls.spawn).toBe(2);
  });

  it.each([
    { name: 'watch off', watch: null, autostart: true },
    { name: 'process stopped', watch, autostart: false },
  ])('$name: file changes are ignored', ({ watch: w, autostart }) => {
    const p = supervise({ policy: { watch: w }, autostart });
    if (autostart) bringOnline(p);
    const before = p.status();
    p.send({ type: 'FILES_CHANGED' });
    expect(p.status()).toBe(before);
    expect(p.view().restarts).toBe(0);
  });
});
