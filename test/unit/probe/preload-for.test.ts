import { describe, expect, it } from 'vitest';
import { preloadFor } from '../../../src/probe/preload-for.js';
import { makeSpec } from '../../fixtures/specs.js';

const node = process.execPath;

describe('what a Node app starts with: the IPC channel and its guard, then the probe', () => {
  it('a fork-mode Node app gets a channel, the guard first, then the probe', () => {
    expect(preloadFor(makeSpec('api', { run: { interpreter: node } }), '/d')).toEqual({
      nodeArgs: ['--require', '/d/ipc-guard.cjs', '--require', '/d/probe.cjs'],
      channel: true,
    });
  });

  it('with the probe off, still the channel and the guard (PM2 apps call process.send unguarded)', () => {
    expect(preloadFor(makeSpec('api', { run: { interpreter: node, probe: false } }), '/d')).toEqual({
      nodeArgs: ['--require', '/d/ipc-guard.cjs'],
      channel: true,
    });
  });

  it('with `listen`, the listen preload after the guard (its listen() takes the held socket), probe or not', () => {
    const listen = [{ port: 8080 }];
    expect(preloadFor(makeSpec('api', { run: { interpreter: node, listen } }), '/d').nodeArgs).toEqual([
      '--require',
      '/d/ipc-guard.cjs',
      '--require',
      '/d/listen-fds.cjs',
      '--require',
      '/d/probe.cjs',
    ]);
    expect(preloadFor(makeSpec('api', { run: { interpreter: node, listen, probe: false } }), '/d').nodeArgs).toEqual([
      '--require',
      '/d/ipc-guard.cjs',
      '--require',
      '/d/listen-fds.cjs',
    ]);
  });

  it('a cluster worker keeps its channel to its primary: no guard, no channel from the daemon', () => {
    expect(preloadFor(makeSpec('api', { run: { interpreter: node, execMode: 'cluster' } }), '/d')).toEqual({
      nodeArgs: ['--require', '/d/probe.cjs'],
      channel: false,
    });
  });

  it('a program that is not Node gets neither', () => {
    expect(preloadFor(makeSpec('py', { run: { interpreter: 'python3' } }), '/d')).toEqual({
      nodeArgs: [],
      channel: false,
    });
  });
});
