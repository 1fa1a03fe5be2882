import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppSpec } from '../../../src/config/types.js';
import { executeActions } from '../../../src/daemon/executor.js';
import type { ManagedProcess } from '../../../src/daemon/managed-process.js';
import { settle } from '../../../src/daemon/settle.js';
import type { Action } from '../../../src/plan/types.js';
import type { FakeBehaviour, FakeLauncher } from '../../fixtures/fake-launcher.js';
import { makeSpec, type SpecOverrides } from '../../fixtures/specs.js';
import { drive, fakeDaemon, flush, useFakeTime } from './harness.js';

beforeEach(useFakeTime);
afterEach(() => {
  vi.useRealTimers();
});

const api = (overrides: SpecOverrides = {}): AppSpec =>
  makeSpec('api', { ...overrides, run: { args: ['--v1'], ...overrides.run }, logs: { err: null } });
const web = (overrides: SpecOverrides = {}): AppSpec =>
  makeSpec('web', {
    ...overrides,
    run: { execMode: 'cluster', args: ['--v1'], ...overrides.run },
    logs: { err: null },
  });

/** A spec in a few words: its args, instance count, and what differs from the defaults the rows change. */
function tag(spec: AppSpec): string {
  const extras = [
    spec.policy.maxRestarts === 16 ? '' : ` max_restarts ${spec.policy.maxRestarts}`,
    spec.autostart ? '' : ' autostart off',
  ].join('');
  return `${spec.run.args.join(' ')} x${spec.instances}${extras}`;
}

interface Row {
  name: string;
  /** Apps running before the plan: every instance online, but those listed in `stopped`. */
  given: Array<{ spec: AppSpec; stopped?: number[] }>;
  actions: Action[];
  /** Per app, per instance: `index id status rRestarts runs-args`, `-` when no process runs. */
  running: Record<string, string[]>;
  /** The app's stored spec afterwards (`tag`). */
  stored: Record<string, string>;
  /** Old processes signalled: `app[index] signals`. */
  signalled: string[];
  drained?: string[];
  /** What the instances' machines now enforce, where the row changes it. */
  policy?: Record<string, number>;
  /** The executor's error, when the plan cannot be carried out. */
  rejects?: string;
  behave?: Record<string, FakeBehaviour>;
}

const rows: Row[] = [
  {
    name: 'start: every instance of a new app, ids from 0',
    given: [],
    actions: [{ type: 'start', app: 'api', spec: api({ instances: 2 }), instances: [0, 1], reason: 'new in the file' }],
    running: { api: ['0 id 0 online r0 --v1', '1 id 1 online r0 --v1'] },
    stored: { api: '--v1 x2' },
    signalled: [],
  },
  {
    name: 'scale-up: only the new instances start, with the next ids',
    given: [{ spec: web() }, { spec: api() }],
    actions: [
      {
        type: 'scale-up',
        app: 'api',
        spec: api({ instances: 3 }),
        from: 1,
        to: 3,
        instances: [1, 2],
        reason: 'instances 1 → 3',
      },
    ],
    running: {
      web: ['0 id 0 online r0 --v1'],
      api: ['0 id 1 online r0 --v1', '1 id 2 online r0 --v1', '2 id 3 online r0 --v1'],
    },
    stored: { web: '--v1 x1', api: '--v1 x3' },
    signalled: [],
  },
  {
    name: 'scale-down: the highest instances are stopped and forgotten, the rest untouched',
    given: [{ spec: api({ instances: 3 }) }],
    actions: [
      {
        type: 'scale-down',
        app: 'api',
        spec: api({ instances: 1 }),
        from: 3,
        to: 1,
        instances: [1, 2],
        reason: 'instances 3 → 1',
      },
    ],
    running: { api: ['0 id 0 online r0 --v1'] },
    stored: { api: '--v1 x1' },
    signalled: ['api[1] SIGINT', 'api[2] SIGINT'],
  },
  {
    name: 'scale-down of a cluster app drains the workers first',
    given: [{ spec: web({ instances: 2 }) }],
    actions: [
      { type: 'scale-down', app: 'web', spec: web(), from: 2, to: 1, instances: [1], reason: 'instances 2 → 1' },
    ],
    running: { web: ['0 id 0 online r0 --v1'] },
    stored: { web: '--v1 x1' },
    signalled: ['web[1] SIGINT'],
    drained: ['web[1]'],
  },
  {
    name: 'register: the app and its instances are known, nothing starts',
    given: [],
    actions: [
      {
        type: 'register',
        app: 'cron',
        spec: makeSpec('cron', { instances: 2, autostart: false, run: { args: ['--v1'] } }),
        reason: 'new in the file, autostart: false',
      },
    ],
    running: { cron: ['0 id 0 stopped r0 -', '1 id 1 stopped r0 -'] },
    stored: { cron: '--v1 x2 autostart off' },
    signalled: [],
  },
  {
    name: 'resume: stopped instances start again under their ids, with the spec carried',
    given: [{ spec: api({ instances: 2 }), stopped: [1] }],
    actions: [
      { type: 'resume', app: 'api', spec: api({ instances: 2 }), instances: [1], reason: 'instance 1 stopped' },
    ],
    running: { api: ['0 id 0 online r0 --v1', '1 id 1 online r0 --v1'] },
    stored: { api: '--v1 x2' },
    signalled: [],
  },
  {
    name: 'restart: each instance stops and starts with the new spec, counted as a restart',
    given: [{ spec: api({ instances: 2 }) }],
    actions: [
      {
        type: 'restart',
        app: 'api',
        spec: api({ instances: 2, run: { args: ['--v2'] } }),
        instances: [0, 1],
        changes: [],
        reason: 'args',
      },
    ],
    running: { api: ['0 id 0 online r1 --v2', '1 id 1 online r1 --v2'] },
    stored: { api: '--v2 x2' },
    signalled: ['api[0] SIGINT', 'api[1] SIGINT'],
  },
  {
    name: 'reload of a fork app: a restart in place',
    given: [{ spec: api({ instances: 2 }) }],
    actions: [
      {
        type: 'reload',
        app: 'api',
        spec: api({ instances: 2, run: { args: ['--v2'] } }),
        instances: [0, 1],
        changes: [],
        reason: 'args',
      },
    ],
    running: { api: ['0 id 0 online r1 --v2', '1 id 1 online r1 --v2'] },
    stored: { api: '--v2 x2' },
    signalled: ['api[0] SIGINT', 'api[1] SIGINT'],
  },
  {
    name: 'reload of a cluster app: a new worker beside each old one, the old one drained then stopped',
    given: [{ spec: web({ instances: 2 }) }],
    actions: [
      {
        type: 'reload',
        app: 'web',
        spec: web({ instances: 2, run: { args: ['--v2'] } }),
        instances: [0, 1],
        changes: [],
        reason: 'args',
      },
    ],
    running: { web: ['0 id 0 online r1 --v2', '1 id 1 online r1 --v2'] },
    stored: { web: '--v2 x2' },
    signalled: ['web[0] SIGINT', 'web[1] SIGINT'],
    drained: ['web[0]', 'web[1]'],
  },
  {
    name: 'a cluster reload that stops part-way leaves the stored spec as it was',
    given: [{ spec: web({ instances: 2 }) }],
    behave: { web: { readyAfterMs: null } },
    actions: [
      {
        type: 'reload',
        app: 'web',
        spec: web({ instances: 2, run: { args: ['--v2'] } }),
        instances: [0, 1],
        changes: [],
        reason: 'args',
      },
    ],
    rejects: 'reload of web stopped at instance 0',
    running: { web: ['0 id 0 online r0 --v1', '1 id 1 online r0 --v1'] },
    stored: { web: '--v1 x2' },
    signalled: [],
  },
  {
    name: 'update-policy: the running instances take the new limits in place',
    given: [{ spec: api({ instances: 2 }) }],
    actions: [
      {
        type: 'update-policy',
        app: 'api',
        spec: api({ instances: 2, policy: { maxRestarts: 3 } }),
        changes: [],
        reason: 'max_restarts',
      },
    ],
    running: { api: ['0 id 0 online r0 --v1', '1 id 1 online r0 --v1'] },
    stored: { api: '--v1 x2 max_restarts 3' },
    signalled: [],
    policy: { api: 3 },
  },
  {
    name: 'stop: the instances stop and stay registered',
    given: [{ spec: api({ instances: 2 }) }],
    actions: [
      {
        type: 'stop',
        app: 'api',
        spec: api({ instances: 2, autostart: false }),
        instances: [0, 1],
        reason: 'autostart: true → false',
      },
    ],
    running: { api: ['0 id 0 stopped r0 -', '1 id 1 stopped r0 -'] },
    stored: { api: '--v1 x2 autostart off' },
    signalled: ['api[0] SIGINT', 'api[1] SIGINT'],
  },
  {
    name: 'delete: the app is stopped and forgotten, others untouched',
    given: [{ spec: api({ instances: 2 }) }, { spec: web() }],
    actions: [{ type: 'delete', app: 'api', instances: [0, 1], reason: 'not in the file' }],
    running: { web: ['0 id 2 online r0 --v1'] },
    stored: { web: '--v1 x1' },
    signalled: ['api[0] SIGINT', 'api[1] SIGINT'],
  },
];

describe('executeActions', () => {
  it.each(rows)('$name', async (row) => {
    const { fake, registry } = fakeDaemon();
    for (const { spec, stopped = [] } of row.given)
      for (let i = 0; i < spec.instances; i++) registry.add(spec, i, { autostart: !stopped.includes(i) });
    await flush();
    expect(registry.processes().every((p) => p.status === 'online' || p.status === 'stopped')).toBe(true);
    for (const [app, behaviour] of Object.entries(row.behave ?? {})) fake.behave(app, behaviour);
    const before = new Set(fake.processes);

    const run = executeActions(registry, row.actions, () => {}).then((started) =>
      settle(started, () => {}).then(() => started),
    );
    if (row.rejects) await expect(drive(run)).rejects.toThrow(row.rejects);
    else await drive(run);

    const now: Record<string, string[]> = {};
    for (const [name, app] of registry.apps)
      now[name] = [...app.processes.values()].map((p) => describeInstance(p, fake));
    expect(now).toEqual(row.running);
    expect(Object.fromEntries([...registry.apps].map(([name, app]) => [name, tag(app.spec)]))).toEqual(row.stored);
    const label = (pid: number) => {
      const p = fake.byPid(pid)!;
      return `${p.spec.name}[${p.request!.instance}]`;
    };
    expect(
      [...before].filter((p) => p.signals.length > 0).map((p) => `${label(p.pid)} ${p.signals.join(',')}`),
    ).toEqual(row.signalled);
    expect(fake.drained.map(label)).toEqual(row.drained ?? []);
    // Nothing but the instances listed runs: no process left behind by a restart, a reload or a removal.
    expect(fake.running().length).toBe(
      Object.values(row.running)
        .flat()
        .filter((line) => !line.endsWith(' -')).length,
    );
    for (const [name, maxRestarts] of Object.entries(row.policy ?? {}))
      for (const p of registry.apps.get(name)!.processes.values())
        expect(p.context.policy.maxRestarts).toBe(maxRestarts);
  });

  it('returns the processes it started or restarted, for apply to watch them come up', async () => {
    const { registry } = fakeDaemon();
    registry.add(api(), 0, { autostart: true });
    await flush();
    const started = await drive(
      executeActions(
        registry,
        [
          { type: 'restart', app: 'api', spec: api(), instances: [0], changes: [], reason: 'r' },
          { type: 'start', app: 'web', spec: web(), instances: [0], reason: 'new' },
          { type: 'update-policy', app: 'api', spec: api(), changes: [], reason: 'r' },
        ],
        () => {},
      ),
    );
    expect(started.map((p) => `${p.name}[${p.instance}]`)).toEqual(['api[0]', 'web[0]']);
  });
});

/** `index id status rRestarts args`: an instance as `tend ls` shows it, and the args its process was started with. */
function describeInstance(p: ManagedProcess, fake: FakeLauncher): string {
  const runs = fake.byPid(p.pid)?.spec.run.args.join(' ') ?? '-';
  return `${p.instance} id ${p.id} ${p.status} r${p.context.restarts} ${runs}`;
}
