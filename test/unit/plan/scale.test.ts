import { describe, expect, it } from 'vitest';
import { planApply } from '../../../src/plan/plan-apply.js';
import type { ProcessStatus } from '../../../src/supervisor/status.js';
import { makeDesired, makeObserved, makeSpec } from '../../fixtures/specs.js';

describe('scaling starts or stops only the difference', () => {
  const cases: [string, number, number, unknown[]][] = [
    ['2 → 4 starts instances 2 and 3', 2, 4, [{ type: 'scale-up', from: 2, to: 4, instances: [2, 3] }]],
    ['1 → 2 starts instance 1', 1, 2, [{ type: 'scale-up', from: 1, to: 2, instances: [1] }]],
    ['4 → 2 removes the highest indexes', 4, 2, [{ type: 'scale-down', from: 4, to: 2, instances: [2, 3] }]],
    ['3 → 1 removes instances 1 and 2', 3, 1, [{ type: 'scale-down', from: 3, to: 1, instances: [1, 2] }]],
  ];
  it.each(cases)('%s', (_label, before, after, expected) => {
    const plan = planApply(makeDesired([makeSpec('web', { instances: after })]), [
      makeObserved(makeSpec('web', { instances: before })),
    ]);
    expect(plan.actions).toMatchObject(expected);
    expect(plan.actions).toHaveLength(1);
  });

  it('scale-up carries the desired spec and no restart touches the running instances', () => {
    const wanted = makeSpec('web', { instances: 3 });
    const plan = planApply(makeDesired([wanted]), [makeObserved(makeSpec('web', { instances: 1 }))]);
    expect(plan.actions).toEqual([
      { type: 'scale-up', app: 'web', spec: wanted, from: 1, to: 3, instances: [1, 2], reason: 'instances 1 → 3' },
    ]);
  });

  it('fills a gap in the instance indexes the daemon reports, even when the count in the spec did not change', () => {
    const spec = makeSpec('web', { instances: 3 });
    const observed = makeObserved(spec);
    observed.instances = observed.instances.filter((i) => i.instance !== 1);
    const plan = planApply(makeDesired([spec]), [observed]);
    expect(plan.actions).toMatchObject([
      { type: 'scale-up', from: 2, to: 3, instances: [1], reason: 'instance 1 missing' },
    ]);
  });

  it('scale-down also removes stopped or errored instances above the new count, without resuming them', () => {
    const statuses: ProcessStatus[] = ['online', 'online', 'errored', 'stopped'];
    const plan = planApply(makeDesired([makeSpec('web', { instances: 2 })]), [
      makeObserved(makeSpec('web', { instances: 4 }), statuses),
    ]);
    expect(plan.actions).toMatchObject([{ type: 'scale-down', instances: [2, 3] }]);
    expect(plan.actions).toHaveLength(1);
  });
});

describe('combined changes', () => {
  it('instances 2 → 4 with an env change: restart 0 and 1 with the new spec, then start 2 and 3 with it', () => {
    const wanted = makeSpec('api', { instances: 4, run: { env: { PORT: '3001' } } });
    const running = makeSpec('api', { instances: 2, run: { env: { PORT: '3000' } } });
    const plan = planApply(makeDesired([wanted]), [makeObserved(running)]);
    expect(plan.actions).toEqual([
      {
        type: 'restart',
        app: 'api',
        spec: wanted,
        instances: [0, 1],
        changes: [{ field: 'run.env.PORT', from: '3000', to: '3001' }],
        reason: 'run.env.PORT "3000" → "3001"',
      },
      { type: 'scale-up', app: 'api', spec: wanted, from: 2, to: 4, instances: [2, 3], reason: 'instances 2 → 4' },
    ]);
  });

  it('in cluster mode the same change reloads instead', () => {
    const wanted = makeSpec('api', { instances: 4, run: { execMode: 'cluster', env: { PORT: '3001' } } });
    const running = makeSpec('api', { instances: 2, run: { execMode: 'cluster', env: { PORT: '3000' } } });
    expect(planApply(makeDesired([wanted]), [makeObserved(running)]).actions.map((a) => a.type)).toEqual([
      'reload',
      'scale-up',
    ]);
  });

  it('instances 4 → 2 with an env change: remove 2 and 3 first, restart only 0 and 1', () => {
    const wanted = makeSpec('api', { instances: 2, run: { args: ['--new'] } });
    const plan = planApply(makeDesired([wanted]), [makeObserved(makeSpec('api', { instances: 4 }))]);
    expect(plan.actions).toMatchObject([
      { type: 'scale-down', instances: [2, 3] },
      { type: 'restart', instances: [0, 1], changes: [{ field: 'run.args', from: [], to: ['--new'] }] },
    ]);
  });

  it('a restart carries policy changes too, so no separate update is planned', () => {
    const wanted = makeSpec('api', { run: { args: ['-v'] }, policy: { maxRestarts: 3 } });
    const plan = planApply(makeDesired([wanted]), [makeObserved(makeSpec('api'))]);
    expect(plan.actions).toMatchObject([
      { type: 'restart', changes: [{ field: 'run.args' }, { field: 'policy.maxRestarts' }] },
    ]);
    expect(plan.actions).toHaveLength(1);
  });

  it('a scale-up with a policy change also updates the running instances in place', () => {
    const wanted = makeSpec('api', { instances: 2, policy: { killTimeoutMs: 9000 } });
    const plan = planApply(makeDesired([wanted]), [makeObserved(makeSpec('api'))]);
    expect(plan.actions).toMatchObject([
      { type: 'update-policy', changes: [{ field: 'policy.killTimeoutMs', from: 1600, to: 9000 }] },
      { type: 'scale-up', instances: [1] },
    ]);
  });
});
