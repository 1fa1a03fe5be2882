import { describe, expect, it } from 'vitest';
import type { AppOwner } from '../../../src/config/types.js';
import { isTendError } from '../../../src/core/errors.js';
import { movedApps, observedFingerprints, planScope } from '../../../src/plan/fingerprint.js';
import { gateViolations, parseDeny, parseMaxUnavailable, unavailableOf } from '../../../src/plan/gates.js';
import { ownerKeyOf, ownerLabel } from '../../../src/plan/ownership.js';
import { planApply } from '../../../src/plan/plan-apply.js';
import { planJson } from '../../../src/plan/plan-json.js';
import { makeDesired, makeObserved, makeSpec } from '../../fixtures/specs.js';

const owner = (key: string): AppOwner => ({ key, at: 0, user: 'test' });
const mine = owner('file:/srv/ecosystem.yml');

describe('owner keys and labels', () => {
  it.each([
    [{ file: '/srv/a.yml', project: 'billing' }, 'project:billing', 'billing'],
    [{ file: '/srv/a.yml' }, 'file:/srv/a.yml', 'a.yml'],
    [{ file: null }, 'cli', 'cli'],
  ] as const)('%o owns as %s, shown as %s', (desired, key, label) => {
    expect(ownerKeyOf(desired)).toBe(key);
    expect(ownerLabel(owner(key))).toBe(label);
  });

  it('an app from before owners shows as -', () => {
    expect(ownerLabel(null)).toBe('-');
  });
});

describe('prune is scoped to the owner', () => {
  const desired = makeDesired([makeSpec('api')]);
  const observed = [
    makeObserved(makeSpec('api')),
    makeObserved(makeSpec('gone'), 'online', 1, mine),
    makeObserved(makeSpec('theirs'), 'online', 2, owner('project:billing')),
    makeObserved(makeSpec('by-hand'), 'online', 3, owner('cli')),
    makeObserved(makeSpec('old'), 'online', 4, null),
  ];

  it('deletes only what this file applied; other owners and apps from before owners are kept, each with its owner', () => {
    const plan = planApply(desired, observed, { prune: true });
    expect(plan.actions.map((a) => [a.type, a.app])).toEqual([['delete', 'gone']]);
    expect(plan.orphans).toEqual(['theirs', 'by-hand', 'old']);
    expect(plan.orphanOwners).toEqual({ theirs: 'project:billing', 'by-hand': 'cli', old: null });
  });

  it('a project owns across files: the same project from another path prunes its own apps', () => {
    const project = { ...makeDesired([makeSpec('api')], '/elsewhere/moved.yml'), project: 'web' };
    const running = [
      makeObserved(makeSpec('api'), 'online', 0, owner('project:web')),
      makeObserved(makeSpec('old-web'), 'online', 1, owner('project:web')),
      makeObserved(makeSpec('file-app'), 'online', 2, owner('file:/elsewhere/moved.yml')),
    ];
    const plan = planApply(project, running, { prune: true });
    expect(plan.actions.map((a) => [a.type, a.app])).toEqual([['delete', 'old-web']]);
    expect(plan.orphans).toEqual(['file-app']);
  });
});

describe('an app another owner applied', () => {
  const desired = makeDesired([makeSpec('api'), makeSpec('web')]);
  const observed = [makeObserved(makeSpec('api'), 'online', 0, owner('project:billing'))];

  it('is refused, naming the owner, and nothing is planned', () => {
    let error: unknown;
    try {
      planApply(desired, observed);
    } catch (err) {
      error = err;
    }
    expect(isTendError(error) && error.code).toBe('OWNED_ELSEWHERE');
    expect(isTendError(error) && error.describe()).toMatch(
      /api is owned by project:billing[\s\S]*--take-over|--take-over[\s\S]*api is owned by project:billing/,
    );
  });

  it('is taken with takeOver, and claimed with the rest of the file', () => {
    const plan = planApply(desired, observed, { takeOver: true });
    expect(plan.claims).toEqual(['api', 'web']);
  });

  it('from before owners is taken without asking', () => {
    const plan = planApply(desired, [makeObserved(makeSpec('api'), 'online', 0, null)]);
    expect(plan.claims).toContain('api');
  });

  it('outside --only is not looked at', () => {
    expect(() => planApply(desired, observed, { only: ['web'] })).not.toThrow();
  });
});

describe('gates', () => {
  const desired = makeDesired([
    makeSpec('api', { run: { env: { V: '2' } } }),
    makeSpec('web', { instances: 3, run: { execMode: 'cluster', env: { V: '2' } } }),
  ]);
  const observed = [
    makeObserved(makeSpec('api', { instances: 2 })),
    makeObserved(makeSpec('web', { instances: 3, run: { execMode: 'cluster' } }), 'online', 2),
  ];
  const plan = planApply(desired, observed);

  it('a restart takes all its instances down, a rolling reload none', () => {
    expect(plan.actions.map((a) => [a.app, a.type, unavailableOf(a)])).toEqual([
      ['api', 'scale-down', 1],
      ['api', 'restart', 1],
      ['web', 'reload', 0],
    ]);
  });

  it.each([
    [{ deny: ['restart'] }, ['api: restart is denied']],
    [{ deny: ['reload'] }, ['web: reload is denied']],
    [{ deny: ['scale'] }, ['api: scale-down is denied']],
    [{ deny: ['delete'] }, []],
    [{ maxUnavailable: 2 }, []],
    [{ maxUnavailable: 1 }, ['2 instances would be down at once, over --max-unavailable 1']],
  ])('%o → %o', (gates, expected) => {
    const violations = gateViolations(plan, gates);
    expect(violations).toHaveLength(expected.length);
    for (const [i, start] of expected.entries()) expect(violations[i]).toContain(start);
  });

  it('an unknown kind or a bad number is a usage error', () => {
    expect(() => parseDeny('restart,explode')).toThrow(/unknown action kind `explode`/);
    expect(() => parseMaxUnavailable('two')).toThrow(/whole number/);
    expect(parseDeny('restart, delete')).toEqual(['restart', 'delete']);
  });
});

describe('fingerprints of the running apps a plan looked at', () => {
  const spec = makeSpec('api', { instances: 2 });
  const names = ['api', 'new'];
  const before = observedFingerprints([makeObserved(spec)], names);

  it('do not move when a process only got a new pid (a crash restart)', () => {
    const after = makeObserved(spec);
    after.instances[0]!.pid = 99_999;
    expect(movedApps(before, observedFingerprints([after], names))).toEqual([]);
  });

  it.each([
    ['an instance died', [makeObserved(spec, ['online', 'errored'])], ['api changed']],
    ['the app went away', [], ['api is gone']],
    [
      'an app of the scope appeared',
      [makeObserved(spec), makeObserved(makeSpec('new'), 'online', 2)],
      ['new appeared'],
    ],
    ['another owner took it', [makeObserved(spec, 'online', 0, owner('cli'))], ['api changed']],
  ])('move when %s', (_what, observed, moved) => {
    expect(movedApps(before, observedFingerprints(observed, names))).toEqual(moved);
  });

  it('cover the file’s apps, the acted on and the kept', () => {
    const plan = planApply(makeDesired([makeSpec('api')]), [makeObserved(makeSpec('zzz'), 'online', 0, null)]);
    expect(planScope(plan)).toEqual(['api', 'zzz']);
  });
});

describe('tend plan --json', () => {
  it('carries each action with its disruption, masks credentials, and lists the kept apps with their owners', () => {
    const desired = makeDesired([makeSpec('api', { run: { env: { API_TOKEN: 'new-secret', PORT: '81' } } })]);
    const observed = [
      makeObserved(makeSpec('api', { run: { env: { API_TOKEN: 'old-secret', PORT: '80' } } })),
      makeObserved(makeSpec('theirs'), 'online', 1, owner('project:billing')),
    ];
    const json = planJson(planApply(desired, observed), ['a gate']);
    expect(JSON.stringify(json)).not.toMatch(/secret/);
    expect(json).toMatchObject({
      version: 1,
      owner: 'file:/srv/ecosystem.yml',
      actions: [
        {
          type: 'restart',
          app: 'api',
          disruption: 'restart',
          unavailable: 1,
          changes: [
            { field: 'run.env.API_TOKEN', from: '***', to: '***' },
            { field: 'run.env.PORT', from: '80', to: '81' },
          ],
        },
      ],
      kept: [{ app: 'theirs', owner: 'project:billing', prunable: false }],
      denied: ['a gate'],
    });
  });
});
