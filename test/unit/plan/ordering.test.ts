import { describe, expect, it } from 'vitest';
import { planApply } from '../../../src/plan/plan-apply.js';
import { makeDesired, makeObserved, makeSpec } from '../../fixtures/specs.js';

// One app per kind of action, listed in the file in an order unlike the execution order.
function everyKind() {
  const desired = makeDesired([
    makeSpec('new', { instances: 2 }),
    makeSpec('grow', { instances: 3 }),
    makeSpec('policy', { policy: { maxRestarts: 1 } }),
    makeSpec('env', { run: { env: { A: '2' } } }),
    makeSpec('shrink', { instances: 1 }),
    makeSpec('off', { autostart: false }),
    makeSpec('down'),
    makeSpec('same'),
  ]);
  const observed = [
    makeObserved(makeSpec('gone-b')),
    makeObserved(makeSpec('same')),
    makeObserved(makeSpec('down'), 'errored'),
    makeObserved(makeSpec('off')),
    makeObserved(makeSpec('shrink', { instances: 3 })),
    makeObserved(makeSpec('env', { run: { env: { A: '1' } } })),
    makeObserved(makeSpec('policy')),
    makeObserved(makeSpec('grow', { instances: 1 })),
    makeObserved(makeSpec('gone-a')),
  ];
  return { desired, observed };
}

describe('plan order', () => {
  it('deletes (observed order), stops, scale-downs, restarts, updates in place, then starts (file order)', () => {
    const { desired, observed } = everyKind();
    const plan = planApply(desired, observed, { prune: true });
    expect(plan.actions.map((a) => `${a.type} ${a.app}`)).toEqual([
      'delete gone-b',
      'delete gone-a',
      'stop off',
      'scale-down shrink',
      'restart env',
      'update-policy policy',
      'start new',
      'scale-up grow',
      'resume down',
    ]);
    expect(plan.unchanged).toEqual(['same']);
    expect(plan.orphans).toEqual([]);
  });

  it('is the same whichever order the daemon lists its apps in', () => {
    const { desired, observed } = everyKind();
    const a = planApply(desired, observed, { prune: true });
    const b = planApply(desired, [...observed].reverse(), { prune: true });
    expect(b.actions.filter((x) => x.type !== 'delete')).toEqual(a.actions.filter((x) => x.type !== 'delete'));
  });

  it('follows the file when two apps need the same kind of action', () => {
    const desired = makeDesired([makeSpec('z'), makeSpec('a'), makeSpec('m')]);
    expect(planApply(desired, []).actions.map((x) => x.app)).toEqual(['z', 'a', 'm']);
  });
});

describe('prune and orphans', () => {
  it('without prune, apps missing from the file are reported as orphans and left alone', () => {
    const plan = planApply(makeDesired([makeSpec('api')]), [
      makeObserved(makeSpec('legacy')),
      makeObserved(makeSpec('api')),
      makeObserved(makeSpec('old')),
    ]);
    expect(plan).toMatchObject({ actions: [], unchanged: ['api'], orphans: ['legacy', 'old'] });
  });

  it('with prune, they are deleted with all their instances', () => {
    const plan = planApply(
      makeDesired([]),
      [makeObserved(makeSpec('legacy', { instances: 3 }), ['online', 'stopped', 'errored'])],
      { prune: true },
    );
    expect(plan.actions).toEqual([{ type: 'delete', app: 'legacy', instances: [0, 1, 2], reason: 'not in the file' }]);
    expect(plan.orphans).toEqual([]);
  });

  it('a renamed app is deleted before the new name starts, freeing its port', () => {
    const plan = planApply(makeDesired([makeSpec('api-v2')]), [makeObserved(makeSpec('api'))], { prune: true });
    expect(plan.actions.map((a) => `${a.type} ${a.app}`)).toEqual(['delete api', 'start api-v2']);
  });
});

describe('only', () => {
  const desired = makeDesired([
    makeSpec('api', { run: { args: ['x'] } }),
    makeSpec('web', { run: { args: ['y'] } }),
    makeSpec('new'),
  ]);
  const observed = [makeObserved(makeSpec('api')), makeObserved(makeSpec('web')), makeObserved(makeSpec('legacy'))];

  it('plans only the named apps; the others are not changed, pruned or reported', () => {
    const plan = planApply(desired, observed, { only: ['web'], prune: true });
    expect(plan).toMatchObject({ actions: [{ type: 'restart', app: 'web' }], unchanged: [], orphans: [] });
    expect(plan.actions).toHaveLength(1);
  });

  it('can name an app that is only running, to prune just that one', () => {
    expect(planApply(desired, observed, { only: ['legacy'], prune: true }).actions).toMatchObject([
      { type: 'delete', app: 'legacy' },
    ]);
    expect(planApply(desired, observed, { only: ['legacy'] })).toEqual({
      actions: [],
      unchanged: [],
      orphans: ['legacy'],
      owner: 'file:/srv/ecosystem.yml',
      orphanOwners: { legacy: 'file:/srv/ecosystem.yml' },
      claims: [],
    });
  });

  it('rejects a name found on neither side, which is most likely a typo', () => {
    expect(() => planApply(desired, observed, { only: ['api', 'wbe'] })).toThrow(
      expect.objectContaining({
        code: 'UNKNOWN_APP',
        message: '--only names an app neither in the file nor running: "wbe"',
      }),
    );
  });
});
