import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProcessView } from '../../../src/api/methods.js';
import type { AppOwner } from '../../../src/config/types.js';
import type { ManagedProcess } from '../../../src/daemon/managed-process.js';
import { listRows } from '../../../src/daemon/list-rows.js';
import { viewOf } from '../../../src/daemon/views.js';
import { ownerLabel } from '../../../src/plan/ownership.js';
import { makeSpec } from '../../fixtures/specs.js';
import { fakeDaemon, flush, useFakeTime } from './harness.js';

beforeEach(useFakeTime);
afterEach(() => {
  vi.useRealTimers();
});

/** What `ls`'s table, its --sort, patterns and summary read of a process (src/cli/fast/list-render.ts, list-filter.ts). */
const TABLE_FIELDS = [
  'id',
  'name',
  'namespace',
  'instance',
  'mode',
  'pid',
  'status',
  'restarts',
  'uptime_ms',
  'cpu',
  'memory',
  'user',
  'version',
  'source',
  'module',
  'ready',
  'health',
  'log_problem',
] as const;

/** The fields a row leaves out when they are null. */
const LEFT_OUT_WHEN_NULL: ReadonlySet<string> = new Set([
  'version',
  'source',
  'module',
  'ready',
  'health',
  'log_problem',
]);

/**
 * The full view as the daemon's `list` without params gives it (viewOf, then withOwner's `source`), cut to the table's
 * fields, those that may be left out left out when null.
 */
function tableFieldsOfView(p: ManagedProcess, now: number, owner: AppOwner | null): Record<string, unknown> {
  const view: ProcessView = { ...viewOf(p, now), source: ownerLabel(owner) };
  return Object.fromEntries(
    TABLE_FIELDS.filter((key) => !(LEFT_OUT_WHEN_NULL.has(key) && view[key] == null)).map((key) => [key, view[key]]),
  );
}

const owner: AppOwner = {
  key: 'project:shop',
  project: 'shop',
  file: '/srv/shop/ecosystem.yml',
  hash: 'ab'.repeat(32),
  at: 1_700_000_000_000,
  user: 'me',
};

describe('the rows of `tend ls` (list with { table: true })', () => {
  it('each process: the same value in every field the table reads as its full view, and no other field', async () => {
    const { registry } = fakeDaemon();
    const online = registry.add(makeSpec('api', { instances: 2 }), 0, { autostart: true });
    registry.add(makeSpec('api', { instances: 2 }), 1, { autostart: true });
    registry.add(makeSpec('idle'), 0, { autostart: false });
    const checked = registry.add(
      makeSpec('checked', {
        policy: {
          ready: { probe: { kind: 'tcp', port: 3000 }, intervalMs: 500, timeoutMs: 1000, threshold: 1 },
        },
      }),
      0,
      { autostart: true },
    );
    const module = registry.add(
      makeSpec('tend-logrotate', { run: { env: { TEND_MODULE: 'logrotate' } }, envSources: { TEND_MODULE: 'module' } }),
      0,
      { autostart: true },
    );
    registry.setOwner(['api'], owner);
    await flush();
    await vi.advanceTimersByTimeAsync(65_000);
    online.usage = { cpu: 12.5, rss: 40 * 1024 * 1024 };
    module.logProblem = { file: '/logs/x.log', code: 'ENOSPC', message: 'no space left on the disk', scope: 'folder' };
    const now = Date.now();
    const processes = registry.processes();
    const ownerOf = (app: string) => registry.apps.get(app)?.owner ?? null;

    const rows = listRows(processes, now, ownerOf, { table: true });

    expect(rows).toEqual(processes.map((p) => tableFieldsOfView(p, now, ownerOf(p.name))));
    // The states the cases are about, so a fixture that changed could not make them all alike.
    expect(rows.map((r) => [r.name, r.instance, r.status, r.source])).toEqual([
      ['api', 0, 'online', 'shop'],
      ['api', 1, 'online', 'shop'],
      ['idle', 0, 'stopped', '-'],
      ['checked', 0, 'online', '-'],
      ['tend-logrotate', 0, 'online', '-'],
    ]);
    expect(rows[0]).toMatchObject({ cpu: 12.5, memory: 40 * 1024 * 1024, uptime_ms: 65_000 });
    expect(rows[2]).toMatchObject({ pid: null, uptime_ms: 0 });
    expect(rows[3]!.ready).toBe(checked.readyAt !== null);
    expect(rows[4]).toMatchObject({ module: 'logrotate', log_problem: 'no space left on the disk' });
  });

  it('fields that are null (no version, no check, no module, no log trouble) are left out', async () => {
    const { registry } = fakeDaemon();
    registry.add(makeSpec('api'), 0, { autostart: true });
    await flush();
    const [row] = listRows(registry.processes(), Date.now(), () => null, { table: true });
    expect(Object.keys(row!).sort()).toEqual(
      [
        'id',
        'name',
        'namespace',
        'instance',
        'mode',
        'pid',
        'status',
        'restarts',
        'uptime_ms',
        'cpu',
        'memory',
        'user',
        'source',
      ].sort(),
    );
  });

  it.each([
    { what: 'not asked for: no owner field', owners: undefined, expected: undefined },
    {
      what: 'asked for: project and file only (no key, hash, time or user)',
      owners: true,
      expected: { project: 'shop', file: '/srv/shop/ecosystem.yml' },
    },
  ])('the owner, $what', async ({ owners, expected }) => {
    const { registry } = fakeDaemon();
    registry.add(makeSpec('api'), 0, { autostart: true });
    registry.add(makeSpec('by-hand'), 0, { autostart: true });
    registry.setOwner(['api'], owner);
    await flush();
    const rows = listRows(registry.processes(), Date.now(), (app) => registry.apps.get(app)?.owner ?? null, {
      table: true,
      ...(owners === undefined ? {} : { owners }),
    });
    expect(rows[0]!.owner).toEqual(expected);
    expect(rows[1]!.owner).toEqual(owners ? null : undefined);
    expect('owner' in rows[0]!).toBe(owners === true);
  });
});
