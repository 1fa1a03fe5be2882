import { describe, expect, it } from 'vitest';
import { effectOf } from '../../../src/plan/classify.js';
import { planApply } from '../../../src/plan/plan-apply.js';
import { makeDesired, makeObserved, makeSpec } from '../../fixtures/specs.js';

const port = (n: number) => ({ listen: [{ port: n }] });

// A fork app on sockets tend holds (`listen`) is reloaded like a cluster app: the new instance beside the old one.
describe('planning a fork app with listen', () => {
  const base = makeSpec('api', { instances: 2, run: port(8080) });
  const plain = makeSpec('job', { instances: 2 });

  it.each([
    ['a changed env', makeSpec('api', { instances: 2, run: { ...port(8080), env: { V: '2' } } }), undefined, 'reload'],
    ['`reload FILE`, nothing changed', base, 'reload', 'reload'],
    ['`restart FILE`, nothing changed', base, 'restart', 'restart'],
    ['a changed listen', makeSpec('api', { instances: 2, run: port(9090) }), undefined, 'restart'],
    ['listen added', base, undefined, 'restart', makeSpec('api', { instances: 2 })],
  ] as const)('%s → %s', (_why, desired, restart, type, observedSpec = base) => {
    const plan = planApply(makeDesired([desired]), [makeObserved(observedSpec)], restart ? { restart } : {});
    expect(plan.actions.map((a) => [a.type, 'instances' in a ? a.instances : null])).toEqual([[type, [0, 1]]]);
  });

  it('a fork app without listen is still restarted', () => {
    const changed = makeSpec('job', { instances: 2, run: { env: { V: '2' } } });
    expect(planApply(makeDesired([changed]), [makeObserved(plain)], {}).actions.map((a) => a.type)).toEqual([
      'restart',
    ]);
  });

  it('a change of listen is a restart-class change', () => {
    expect(effectOf('run.listen')).toBe('restart');
  });

  it('scaling keeps the running instances: only the difference starts or stops', () => {
    const more = makeSpec('api', { instances: 3, run: port(8080) });
    expect(planApply(makeDesired([more]), [makeObserved(base)], {}).actions).toMatchObject([
      { type: 'scale-up', instances: [2] },
    ]);
  });
});
