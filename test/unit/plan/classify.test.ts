import { describe, expect, it } from 'vitest';
import { effectOf, FIELD_RULES } from '../../../src/plan/classify.js';
import { planApply } from '../../../src/plan/plan-apply.js';
import type { Action } from '../../../src/plan/types.js';
import { makeDesired, makeObserved, makeSpec, type SpecOverrides } from '../../fixtures/specs.js';

// What each action reports as changed, whichever kind it is.
function changedFields(action: Action): string[] {
  return 'changes' in action ? action.changes.map((change) => change.field) : [];
}

function planChange(before: SpecOverrides, after: SpecOverrides) {
  const running = makeSpec('api', { instances: 2, ...before });
  const wanted = makeSpec('api', { instances: 2, ...after });
  return planApply(makeDesired([wanted]), [makeObserved(running)]);
}

const watch = { paths: ['/srv/api/src'], ignore: [], delayMs: 0 };

describe('a change to what runs restarts every live instance (fork)', () => {
  const cases: [string, SpecOverrides, SpecOverrides, string[]][] = [
    ['script', {}, { run: { script: '/srv/api/server.js' } }, ['run.script']],
    ['args', {}, { run: { args: ['--x'] } }, ['run.args']],
    ['interpreter', {}, { run: { interpreter: '/usr/bin/python3' } }, ['run.interpreter']],
    ['interpreter args', {}, { run: { interpreterArgs: ['--inspect'] } }, ['run.interpreterArgs']],
    ['cwd', {}, { run: { cwd: '/srv/other' } }, ['run.cwd']],
    ['an env value', { run: { env: { PORT: '3000' } } }, { run: { env: { PORT: '3001' } } }, ['run.env.PORT']],
    ['an added env key', { run: { env: {} } }, { run: { env: { DEBUG: '1' } } }, ['run.env.DEBUG']],
    [
      'a removed env key',
      { run: { env: { DEBUG: '1', PORT: '1' } } },
      { run: { env: { PORT: '1' } } },
      ['run.env.DEBUG'],
    ],
    ['instance var', {}, { run: { instanceVar: 'WORKER_ID' } }, ['run.instanceVar']],
    ['increment var', {}, { run: { incrementVar: 'PORT' } }, ['run.incrementVar']],
    ['exec mode fork → cluster', {}, { run: { execMode: 'cluster' } }, ['run.execMode']],
    ['out log', {}, { logs: { out: '/tmp/api.log' } }, ['logs.out']],
    ['err log', {}, { logs: { err: null } }, ['logs.err']],
    ['log merging', {}, { logs: { merge: false } }, ['logs.merge']],
  ];
  it.each(cases)('%s', (_label, before, after, fields) => {
    const plan = planChange(before, after);
    expect(plan.actions.map((a) => [a.type, 'instances' in a ? a.instances : null, changedFields(a)])).toEqual([
      ['restart', [0, 1], fields],
    ]);
    expect(plan.unchanged).toEqual([]);
  });
});

describe('cluster mode reloads, unless the exec mode itself changes', () => {
  const cases: [string, SpecOverrides, SpecOverrides, string][] = [
    [
      'env change in cluster mode',
      { run: { execMode: 'cluster' } },
      { run: { execMode: 'cluster', env: { PORT: '1' } } },
      'reload',
    ],
    ['cluster → fork', { run: { execMode: 'cluster' } }, { run: { execMode: 'fork' } }, 'restart'],
    ['fork → cluster', { run: { execMode: 'fork' } }, { run: { execMode: 'cluster' } }, 'restart'],
  ];
  it.each(cases)('%s → %s', (_label, before, after, type) => {
    expect(planChange(before, after).actions.map((a) => a.type)).toEqual([type]);
  });
});

describe('a policy change updates in place with no restart', () => {
  const cases: [string, SpecOverrides['policy'], string][] = [
    ['autorestart', { autorestart: false }, 'policy.autorestart'],
    ['max_restarts', { maxRestarts: 5 }, 'policy.maxRestarts'],
    ['min_uptime', { minUptimeMs: 5000 }, 'policy.minUptimeMs'],
    ['restart_delay', { restartDelayMs: 100 }, 'policy.restartDelayMs'],
    ['exp_backoff_restart_delay', { expBackoffRestartDelayMs: 100 }, 'policy.expBackoffRestartDelayMs'],
    ['stop_exit_codes', { stopExitCodes: [0] }, 'policy.stopExitCodes'],
    ['max_memory_restart', { maxMemoryRestartBytes: 1024 }, 'policy.maxMemoryRestartBytes'],
    ['kill_signal', { killSignal: 'SIGTERM' }, 'policy.killSignal'],
    ['kill_timeout', { killTimeoutMs: 5000 }, 'policy.killTimeoutMs'],
    ['listen_timeout', { listenTimeoutMs: 100 }, 'policy.listenTimeoutMs'],
    ['wait_ready', { waitReady: true }, 'policy.waitReady'],
    ['shutdown_with_message', { shutdownWithMessage: true }, 'policy.shutdownWithMessage'],
    ['watch turned on', { watch }, 'policy.watch'],
    ['cron_restart set', { cronRestart: { pattern: '0 3 * * *', timezone: null } }, 'policy.cronRestart'],
  ];
  it.each(cases)('%s', (_label, policy, field) => {
    const plan = planChange({}, { policy });
    expect(plan.actions.map((a) => [a.type, changedFields(a)])).toEqual([['update-policy', [field]]]);
  });

  it('a changed or removed schedule is an update in place: the daemon re-arms its timer, the process runs on', () => {
    const nightly = { cronRestart: { pattern: '0 3 * * *', timezone: null } };
    const changed = planChange(
      { policy: nightly },
      { policy: { cronRestart: { pattern: '*/5 * * * *', timezone: 'UTC' } } },
    );
    expect(changed.actions.map((a) => [a.type, changedFields(a)])).toEqual([['update-policy', ['policy.cronRestart']]]);
    const removed = planChange({ policy: nightly }, {});
    expect(removed.actions.map((a) => [a.type, changedFields(a)])).toEqual([['update-policy', ['policy.cronRestart']]]);
    expect(planChange({ policy: nightly }, { policy: nightly }).actions).toEqual([]);
  });

  it('names the watch setting that changed, not the whole block', () => {
    const plan = planChange({ policy: { watch } }, { policy: { watch: { ...watch, delayMs: 500 } } });
    expect(plan.actions.map(changedFields)).toEqual([['policy.watch.delayMs']]);
  });
});

describe('bookkeeping fields', () => {
  it('a namespace change goes out as update-policy', () => {
    const plan = planChange({ namespace: 'a' }, { namespace: 'b' });
    expect(plan.actions).toMatchObject([
      { type: 'update-policy', changes: [{ field: 'namespace', from: 'a', to: 'b' }] },
    ]);
  });

  it.each([
    ['origin', { origin: { file: '/a.yml', index: 0 } }, { origin: { file: '/b.yml', index: 3 } }],
    ['envSources', { envSources: { NODE_ENV: 'env' } }, { envSources: { NODE_ENV: 'shell' } }],
  ] as [string, SpecOverrides, SpecOverrides][])('a change of %s alone plans nothing', (_label, before, after) => {
    const plan = planChange(before, after);
    expect([plan.actions, plan.unchanged, plan.orphans]).toEqual([[], ['api'], []]);
  });

  it('the new origin travels with an action caused by something else', () => {
    const plan = planChange(
      { origin: { file: '/a.yml', index: 0 } },
      { origin: { file: '/b.yml', index: 1 }, run: { args: ['-v'] } },
    );
    expect(plan.actions).toMatchObject([{ type: 'restart', spec: { origin: { file: '/b.yml', index: 1 } } }]);
    expect(changedFields(plan.actions[0]!)).toEqual(['run.args']);
  });
});

describe('the field table', () => {
  it('covers every field of a spec exactly once', () => {
    const paths = FIELD_RULES.map((rule) => rule.path);
    expect(new Set(paths).size).toBe(paths.length);
    const spec = makeSpec('x');
    const expected = [
      ...Object.keys(spec.run).map((k) => `run.${k}`),
      ...Object.keys(spec.logs).map((k) => `logs.${k}`),
      // Optional fields, absent from a spec that does not set them.
      ...[
        'logs.dateFormat',
        'logs.json',
        'logs.rotate',
        'logs.combined',
        'run.probe',
        'run.uid',
        'run.gid',
        'run.pidFile',
        'run.listen',
        'policy.cronRestart',
        'policy.ready',
        'policy.health',
        'dependsOn',
      ],
      ...Object.keys(spec.policy).map((k) => `policy.${k}`),
      ...Object.keys(spec).filter((k) => !['run', 'logs', 'policy'].includes(k)),
    ];
    expect([...paths].sort()).toEqual(expected.sort());
  });

  it.each([
    ['run.env.PORT', 'restart'],
    ['logs.out', 'restart'],
    ['instances', 'scale'],
    ['policy.watch.paths', 'in-place'],
    ['namespace', 'in-place'],
    ['autostart', 'autostart'],
    ['origin', 'none'],
  ])('%s → %s', (field, effect) => {
    expect(effectOf(field)).toBe(effect);
  });
});
