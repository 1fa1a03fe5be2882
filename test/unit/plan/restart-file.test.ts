import { describe, expect, it } from 'vitest';
import { formatPlan } from '../../../src/plan/format.js';
import { planApply } from '../../../src/plan/plan-apply.js';
import { makeDesired, makeObserved, makeSpec } from '../../fixtures/specs.js';

// PM2's `restart FILE`, `reload FILE` and `start FILE` (PlanOptions.restart): what runs is restarted even unchanged.
describe('the restart option of a plan', () => {
  const web = makeSpec('web', { instances: 2, run: { execMode: 'cluster' } });
  const job = makeSpec('job');

  it('restarts an unchanged running app, says why, and starts an app that is missing', () => {
    const plan = planApply(makeDesired([job, makeSpec('new')]), [makeObserved(job)], { restart: 'restart' });
    expect(plan.actions).toMatchObject([
      { type: 'restart', app: 'job', instances: [0], changes: [], reason: '`restart` asked for it' },
      { type: 'start', app: 'new', instances: [0] },
    ]);
    expect(formatPlan(plan)).toContain('~ job  restart 1 instance (`restart` asked for it)');
  });

  it('reload rolls a cluster app and restarts a fork app; restart restarts both', () => {
    const observed = [makeObserved(web), makeObserved(job)];
    const types = (restart: 'restart' | 'reload') =>
      planApply(makeDesired([web, job]), observed, { restart }).actions.map((a) => [a.app, a.type]);
    expect(types('reload')).toEqual([
      ['web', 'reload'],
      ['job', 'restart'],
    ]);
    expect(types('restart')).toEqual([
      ['web', 'restart'],
      ['job', 'restart'],
    ]);
  });

  it('carries the changes of a changed app in the one restart, policies included', () => {
    const changed = makeSpec('job', { run: { env: { NODE_ENV: 'staging' } }, policy: { maxRestarts: 3 } });
    const plan = planApply(makeDesired([changed]), [makeObserved(job)], { restart: 'restart' });
    expect(plan.actions).toHaveLength(1);
    expect(plan.actions[0]).toMatchObject({ type: 'restart', spec: changed });
    expect(plan.actions[0]?.type === 'restart' && plan.actions[0].changes.map((c) => c.field)).toEqual([
      'run.env.NODE_ENV',
      'policy.maxRestarts',
    ]);
  });

  it('starts stopped instances, even of an app with autostart: false', () => {
    const paused = makeSpec('paused', { instances: 2, autostart: false });
    const plan = planApply(makeDesired([paused]), [makeObserved(paused, ['online', 'stopped'])], {
      restart: 'restart',
    });
    expect(plan.actions).toMatchObject([
      { type: 'restart', instances: [0] },
      { type: 'resume', instances: [1] },
    ]);
  });

  it('without the option, an unchanged app needs nothing', () => {
    expect(planApply(makeDesired([job]), [makeObserved(job)]).actions).toEqual([]);
  });
});
