import { describe, expect, it } from 'vitest';
import { planApply } from '../../../src/plan/plan-apply.js';
import type { ProcessStatus } from '../../../src/supervisor/status.js';
import { makeDesired, makeObserved, makeSpec, observedAfterApply } from '../../fixtures/specs.js';

describe('applying the same file again plans nothing', () => {
  it('for a mix of fork, cluster, multi-instance, watched and autostart: false apps', () => {
    const desired = makeDesired([
      makeSpec('api', { instances: 4, run: { execMode: 'cluster', env: { PORT: '3000', API_KEY: 's' } } }),
      makeSpec('worker', { run: { interpreter: '/usr/bin/python3', args: ['-u', 'w.py'] } }),
      makeSpec('watched', { policy: { watch: { paths: ['/srv/w'], ignore: ['**/*.log'], delayMs: 100 } } }),
      makeSpec('cron', { autostart: false, instances: 2 }),
    ]);
    const plan = planApply(desired, observedAfterApply(desired));
    expect(plan.actions).toEqual([]);
    expect(plan.unchanged).toEqual(['api', 'worker', 'watched', 'cron']);
    expect(plan.orphans).toEqual([]);
  });

  it('does not mistake equal specs built separately (other key order, copied arrays) for a change', () => {
    const running = makeSpec('api', { run: { env: { A: '1', B: '2' }, args: ['x'] } });
    const wanted = makeSpec('api', { run: { env: { B: '2', A: '1' }, args: ['x'] } });
    expect(planApply(makeDesired([wanted]), [makeObserved(running)]).actions).toEqual([]);
  });
});

describe('instances that are down are resumed (level-based)', () => {
  const live: ProcessStatus[] = ['launching', 'online', 'waiting-restart', 'stopping'];
  it.each(live)('an instance %s counts as live: nothing to do', (status) => {
    const spec = makeSpec('api');
    expect(planApply(makeDesired([spec]), [makeObserved(spec, status)]).actions).toEqual([]);
  });

  it('resumes exactly the stopped and errored instances of an unchanged app', () => {
    const spec = makeSpec('api', { instances: 4 });
    const plan = planApply(makeDesired([spec]), [makeObserved(spec, ['online', 'errored', 'stopped', 'stopped'])]);
    expect(plan.actions).toEqual([
      { type: 'resume', app: 'api', spec, instances: [1, 2, 3], reason: 'instance 1 errored, instances 2, 3 stopped' },
    ]);
    expect(plan.unchanged).toEqual([]);
  });

  it('a changed app restarts its live instances and resumes the dead ones with the new spec', () => {
    const wanted = makeSpec('api', { instances: 2, run: { args: ['--v2'] } });
    const plan = planApply(makeDesired([wanted]), [
      makeObserved(makeSpec('api', { instances: 2 }), ['online', 'errored']),
    ]);
    expect(plan.actions).toMatchObject([
      { type: 'restart', instances: [0], spec: wanted },
      { type: 'resume', instances: [1], spec: wanted },
    ]);
  });

  it('a changed app with nothing live stores the change, then resumes with it', () => {
    const wanted = makeSpec('api', { run: { args: ['--v2'] } });
    const plan = planApply(makeDesired([wanted]), [makeObserved(makeSpec('api'), 'errored')]);
    expect(plan.actions).toMatchObject([
      { type: 'update-policy', changes: [{ field: 'run.args' }] },
      { type: 'resume', instances: [0], spec: wanted },
    ]);
  });
});

describe('autostart', () => {
  it('a new app with autostart: false is registered, not started', () => {
    const spec = makeSpec('cron', { autostart: false, instances: 2 });
    expect(planApply(makeDesired([spec]), []).actions).toEqual([
      { type: 'register', app: 'cron', spec, reason: 'new in the file, autostart: false' },
    ]);
  });

  it('a new app is started with all its instances', () => {
    const spec = makeSpec('api', { instances: 3 });
    expect(planApply(makeDesired([spec]), []).actions).toEqual([
      { type: 'start', app: 'api', spec, instances: [0, 1, 2], reason: 'new in the file' },
    ]);
  });

  it('autostart turned false stops the live instances and keeps the app', () => {
    const wanted = makeSpec('api', { instances: 2, autostart: false });
    const plan = planApply(makeDesired([wanted]), [makeObserved(makeSpec('api', { instances: 2 }))]);
    expect(plan.actions).toEqual([
      { type: 'stop', app: 'api', spec: wanted, instances: [0, 1], reason: 'autostart: true → false' },
    ]);
  });

  it('autostart turned false with other changes stops without restarting first', () => {
    const wanted = makeSpec('api', { autostart: false, run: { args: ['x'] }, policy: { maxRestarts: 1 } });
    expect(planApply(makeDesired([wanted]), [makeObserved(makeSpec('api'))]).actions.map((a) => a.type)).toEqual([
      'stop',
    ]);
  });

  it('stopped instances of an autostart: false app stay stopped', () => {
    const spec = makeSpec('cron', { autostart: false });
    expect(planApply(makeDesired([spec]), [makeObserved(spec, 'stopped')]).actions).toEqual([]);
  });

  it('an autostart: false app started by hand is left running, and restarted when what runs changes', () => {
    const running = makeSpec('cron', { autostart: false, instances: 2 });
    const unchanged = planApply(makeDesired([running]), [makeObserved(running, ['online', 'stopped'])]);
    expect(unchanged.actions).toEqual([]);
    const wanted = makeSpec('cron', { autostart: false, instances: 2, run: { args: ['--daily'] } });
    const changed = planApply(makeDesired([wanted]), [makeObserved(running, ['online', 'stopped'])]);
    expect(changed.actions).toMatchObject([{ type: 'restart', instances: [0] }]);
  });

  it('a change to a stopped autostart: false app is stored in place, nothing starts', () => {
    const wanted = makeSpec('cron', { autostart: false, instances: 3, run: { args: ['--daily'] } });
    const plan = planApply(makeDesired([wanted]), [makeObserved(makeSpec('cron', { autostart: false }), 'stopped')]);
    expect(plan.actions).toMatchObject([
      {
        type: 'update-policy',
        changes: [
          { field: 'run.args', from: [], to: ['--daily'] },
          { field: 'instances', from: 1, to: 3 },
        ],
      },
    ]);
  });

  it('autostart turned true resumes the stopped instances', () => {
    const wanted = makeSpec('cron', { instances: 2 });
    const plan = planApply(makeDesired([wanted]), [
      makeObserved(makeSpec('cron', { autostart: false, instances: 2 }), 'stopped'),
    ]);
    expect(plan.actions).toEqual([
      { type: 'resume', app: 'cron', spec: wanted, instances: [0, 1], reason: 'autostart: false → true' },
    ]);
  });

  it('autostart turned true on an app already running by hand only stores the new flag', () => {
    const plan = planApply(makeDesired([makeSpec('cron')]), [
      makeObserved(makeSpec('cron', { autostart: false }), 'online'),
    ]);
    expect(plan.actions).toMatchObject([
      { type: 'update-policy', changes: [{ field: 'autostart', from: false, to: true }] },
    ]);
  });
});
