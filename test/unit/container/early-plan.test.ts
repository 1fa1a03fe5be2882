import { describe, expect, test, vi } from 'vitest';
import { earlyStarts, sameRequest } from '../../../src/container/early-plan.js';
import type { SpawnRequest } from '../../../src/runtime/spawn-instance.js';
import { makeDesired, makeSpec } from '../../fixtures/specs.js';

const PID = 4242;

describe('which instances tend-runtime starts before its daemon is set up', () => {
  test("a file of fork apps: every instance, in the file's order, with the ids and run markers the daemon gives", () => {
    const web = makeSpec('web', { instances: 2 });
    const api = makeSpec('api');
    const starts = earlyStarts(makeDesired([web, api]), PID);
    expect(starts?.map(({ spec, instance, id, runMarker }) => [spec.name, instance, id, runMarker])).toEqual([
      ['web', 0, 0, '0.4242.1'],
      ['web', 1, 1, '1.4242.2'],
      ['api', 0, 2, '2.4242.3'],
    ]);
  });

  test.each([
    ['a cluster app (its primary spawns the workers)', makeSpec('c', { run: { execMode: 'cluster' } })],
    ["an app with listen (the sockets are the daemon's)", makeSpec('l', { run: { listen: [{ port: 8080 }] } })],
    ['an app registered stopped (autostart: false)', makeSpec('s', { autostart: false })],
    [
      'an app with depends_on (it waits for another)',
      makeSpec('d', { dependsOn: [{ app: 'web', condition: 'started', restart: false }] }),
    ],
  ])('none at all when the file has %s: the order of the first apply is not sure', (_what, odd) => {
    expect(earlyStarts(makeDesired([makeSpec('web'), odd]), PID)).toBeNull();
  });

  test('none for a file with no app', () => {
    expect(earlyStarts(makeDesired([]), PID)).toBeNull();
  });

  test("the markers are the ones the daemon's own spawns take (runtime/run-marker.ts), in a process of its own", async () => {
    vi.resetModules();
    const { newRunMarker } = await import('../../../src/runtime/run-marker.js');
    const starts = earlyStarts(makeDesired([makeSpec('web', { instances: 3 })]), process.pid)!;
    expect(starts.map((s) => newRunMarker(s.id))).toEqual(starts.map((s) => s.runMarker));
  });
});

describe('whether the daemon asks for the process tend-runtime already spawned', () => {
  const spec = makeSpec('web');
  const req: SpawnRequest = {
    spec,
    instance: 0,
    id: 0,
    extraEnv: { TEND_HOME: '/h', TEND_RUN: '0.1.1' },
    nodeArgs: ['--require', '/d/probe.cjs'],
    channel: true,
    stdinFifo: '/h/stdin/0',
  };

  test('the same request, keys in another order and a key left undefined: the same process', () => {
    const { stdinFifo, ...rest } = req;
    expect(sameRequest(req, { stdinFifo, ...rest, listenFds: undefined })).toBe(true);
    expect(sameRequest(req, { ...req, extraEnv: { TEND_RUN: '0.1.1', TEND_HOME: '/h' } })).toBe(true);
  });

  test.each([
    ['another id', { id: 1 }],
    ['another instance', { instance: 1 }],
    ['another run marker', { extraEnv: { TEND_HOME: '/h', TEND_RUN: '0.1.2' } }],
    ['another spec', { spec: makeSpec('web', { run: { args: ['--port', '1'] } }) }],
    ['no IPC channel', { channel: false }],
  ])('%s: another process', (_what, change) => {
    expect(sameRequest(req, { ...req, ...change })).toBe(false);
  });
});
