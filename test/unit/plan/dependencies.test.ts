import { describe, expect, it } from 'vitest';
import type { AppSpec, Dependency } from '../../../src/config/types.js';
import {
  dependencyGraph,
  dependencyLevels,
  dependentsToRestart,
  stopOrder,
  wavesOf,
} from '../../../src/plan/dependencies.js';
import { formatPlan } from '../../../src/plan/format.js';
import { planApply } from '../../../src/plan/plan-apply.js';
import { makeDesired, makeObserved, makeSpec, type SpecOverrides } from '../../fixtures/specs.js';

/** `api: 'db cache'` → api depends on db and cache (condition started); `web: 'api!'` → with restart: true. */
function specsOf(graph: Record<string, string>, overrides: Record<string, SpecOverrides> = {}): AppSpec[] {
  return Object.entries(graph).map(([name, deps]) => {
    const dependsOn: Dependency[] = deps
      .split(' ')
      .filter((d) => d !== '')
      .map((d) => ({ app: d.replace(/!$/, ''), condition: 'started', restart: d.endsWith('!') }));
    return makeSpec(name, { ...(dependsOn.length > 0 ? { dependsOn } : {}), ...overrides[name] });
  });
}

const steps = (actions: readonly { type: string; app: string }[]) => actions.map((a) => `${a.type} ${a.app}`);

describe('waves', () => {
  it.each([
    ['a chain', { web: 'api', api: 'db', db: '' }, [['db'], ['api'], ['web']]],
    ['independent apps start together', { a: '', b: '', c: 'a' }, [['a', 'b'], ['c']]],
    ['a diamond', { web: 'api worker', api: 'db', worker: 'db', db: '' }, [['db'], ['api', 'worker'], ['web']]],
    ['the longest path decides', { web: 'db api', api: 'db', db: '' }, [['db'], ['api'], ['web']]],
    ['a name outside the apps is left out', { api: 'elsewhere' }, [['api']]],
    ['a cycle does not loop', { a: 'b', b: 'a' }, [['b'], ['a']]],
  ])('%s', (_, graph, expected) => {
    const specs = specsOf(graph);
    const levels = dependencyLevels(dependencyGraph(specs));
    expect(wavesOf(Object.keys(graph), levels)).toEqual(expected);
  });
});

describe('planApply with depends_on', () => {
  it('starts dependencies first, whatever the file order, and gives the waves', () => {
    const plan = planApply(makeDesired(specsOf({ web: 'api', api: 'db', db: '' })), []);
    expect(steps(plan.actions)).toEqual(['start db', 'start api', 'start web']);
    expect(plan.waves).toEqual([['db'], ['api'], ['web']]);
  });

  it('has no waves when no app depends on another (the plan is as before)', () => {
    const plan = planApply(makeDesired(specsOf({ b: '', a: '' })), []);
    expect(steps(plan.actions)).toEqual(['start b', 'start a']);
    expect(plan.waves).toBeUndefined();
  });

  it('deletes dependents before what they depend on (their stored specs say so)', () => {
    const running = specsOf({ db: '', api: 'db', web: 'api' }).map((spec) => makeObserved(spec));
    const plan = planApply(makeDesired([]), running, { prune: true });
    expect(steps(plan.actions)).toEqual(['delete web', 'delete api', 'delete db']);
  });

  it('stops before it starts, then restarts and starts wave by wave', () => {
    const desired = specsOf(
      { web: 'api', api: 'db', db: '', old: '' },
      { db: { run: { env: { V: '2' } } }, old: { autostart: false } },
    );
    const observed = [makeObserved(makeSpec('db')), makeObserved(makeSpec('old')), makeObserved(makeSpec('api'))];
    const plan = planApply(makeDesired(desired), observed);
    expect(steps(plan.actions)).toEqual(['stop old', 'restart db', 'update-policy api', 'start web']);
  });

  it.each([
    ['restart: true restarts the dependent after its dependency', 'db!', ['restart db', 'restart api']],
    ['without restart: true the dependent is left running', 'db', ['restart db']],
  ])('%s', (_, apiDeps, expected) => {
    const before = specsOf({ db: '', api: apiDeps });
    const after = specsOf({ db: '', api: apiDeps }, { db: { run: { env: { V: '2' } } } });
    const plan = planApply(
      makeDesired(after),
      before.map((spec) => makeObserved(spec)),
    );
    expect(steps(plan.actions)).toEqual(expected);
    if (expected.length === 2) {
      expect(plan.actions[1]).toMatchObject({ reason: 'db is restarted first (depends_on db: restart: true)' });
      expect(plan.unchanged).toEqual([]);
    }
  });

  it('restart: true follows a chain', () => {
    const before = specsOf({ db: '', api: 'db!', web: 'api!' });
    const after = specsOf({ db: '', api: 'db!', web: 'api!' }, { db: { instances: 1, run: { args: ['x'] } } });
    const plan = planApply(
      makeDesired(after),
      before.map((spec) => makeObserved(spec)),
    );
    expect(steps(plan.actions)).toEqual(['restart db', 'restart api', 'restart web']);
  });

  it.each([
    ['--only api brings what api depends on', {}, [], ['start db', 'start cache', 'start api']],
    ['--no-deps does not', { noDeps: true }, [], ['start api']],
    ['a dependency that runs is left alone, even if the file changed it', {}, ['db', 'cache'], ['start api']],
  ])('%s', (_, options, running, expected) => {
    const desired = specsOf({ db: '', cache: '', api: 'db cache', web: 'api' }, { db: { run: { env: { V: '2' } } } });
    const observed = running.map((name) => makeObserved(makeSpec(name)));
    const plan = planApply(makeDesired(desired), observed, { only: ['api'], ...options });
    expect(steps(plan.actions)).toEqual(expected);
  });

  it('`tend plan` prints the order of the apps it acts on', () => {
    const plan = planApply(makeDesired(specsOf({ web: 'api', worker: 'db', api: 'db', db: '' })), []);
    expect(formatPlan(plan)).toContain('\n\nOrder: db → worker, api → web\n\nPlan: 4 to start');
  });

  it('prints no order when only one wave acts', () => {
    const running = specsOf({ db: '', api: 'db' }).map((spec) => makeObserved(spec));
    const desired = specsOf({ db: '', api: 'db' }, { api: { run: { env: { V: '2' } } } });
    expect(formatPlan(planApply(makeDesired(desired), running))).not.toContain('Order:');
  });
});

describe('the daemon verbs', () => {
  it('`tend restart db` restarts the restart: true dependents after it, in waves', () => {
    const specs = specsOf({ db: '', api: 'db!', worker: 'db', web: 'api!', other: '' });
    expect(dependentsToRestart(new Set(['db']), specs)).toEqual([['api'], ['web']]);
    expect(dependentsToRestart(new Set(['db', 'api']), specs)).toEqual([['web']]);
    expect(dependentsToRestart(new Set(['other']), specs)).toEqual([]);
  });

  it('`tend stop` stops dependents first', () => {
    const specs = specsOf({ db: '', api: 'db', worker: 'db', web: 'api' });
    expect(stopOrder(['db', 'api', 'worker', 'web'], specs)).toEqual([['web'], ['api', 'worker'], ['db']]);
  });
});
