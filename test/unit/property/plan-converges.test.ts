import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppSpec, WatchSpec } from '../../../src/config/types.js';
import { isTendError } from '../../../src/core/errors.js';
import type { AppRegistry } from '../../../src/daemon/app-registry.js';
import { executeActions } from '../../../src/daemon/executor.js';
import type { ManagedProcess } from '../../../src/daemon/managed-process.js';
import { settle } from '../../../src/daemon/settle.js';
import { diffSpecs } from '../../../src/plan/diff.js';
import { planApply } from '../../../src/plan/plan-apply.js';
import type { Action, ObservedApp, ObservedInstance, PlanOptions } from '../../../src/plan/types.js';
import { isLive, PROCESS_STATUSES, type ProcessStatus } from '../../../src/supervisor/status.js';
import { FIXTURE_OWNER, makeDesired, makeObserved, makeSpec } from '../../fixtures/specs.js';
import { drive, fakeDaemon, flush, useFakeTime } from '../daemon/harness.js';

const NAMES = ['api', 'worker', 'cron', 'web'] as const;

/** Specs that differ in every kind of field the planner classifies: what runs, logs, count, policy, autostart. */
const specArb = (name: string): fc.Arbitrary<AppSpec> =>
  fc
    .record({
      instances: fc.integer({ min: 1, max: 4 }),
      autostart: fc.boolean(),
      namespace: fc.constantFrom('default', 'jobs'),
      execMode: fc.constantFrom('fork' as const, 'cluster' as const),
      args: fc.constantFrom<string[]>([], ['--v2'], ['a b', '$(x)']),
      env: fc.constantFrom<Record<string, string>>(
        { NODE_ENV: 'production' },
        { NODE_ENV: 'production', PORT: '3000' },
        { API_KEY: 's3cret' },
      ),
      out: fc.constantFrom(`/var/log/${name}.log`, null),
      maxRestarts: fc.constantFrom(16, 3),
      watch: fc.constantFrom<WatchSpec | null>(null, { paths: ['/srv/w'], ignore: [], delayMs: 100 }),
    })
    .map((r) =>
      makeSpec(name, {
        instances: r.instances,
        autostart: r.autostart,
        namespace: r.namespace,
        run: { execMode: r.execMode, args: r.args, env: r.env },
        logs: { out: r.out },
        policy: { maxRestarts: r.maxRestarts, watch: r.watch },
      }),
    );

const desiredArb = fc
  .subarray([...NAMES])
  .chain((names) => fc.tuple(...names.map(specArb)).map((apps) => makeDesired(apps)));

/** What the daemon may observe: any spec, any subset of instance indexes (gaps too, after a half-done apply), any status. */
const observedArb: fc.Arbitrary<ObservedApp[]> = fc.subarray([...NAMES]).chain((names) =>
  fc
    .tuple(
      ...names.map((name) =>
        fc.record({
          spec: specArb(name),
          slots: fc.subarray([0, 1, 2, 3, 4, 5], { minLength: 1 }),
          statuses: fc.array(fc.constantFrom(...PROCESS_STATUSES), { minLength: 6, maxLength: 6 }),
        }),
      ),
    )
    .map((apps) => {
      let id = 0;
      return apps.map(({ spec, slots, statuses }) => ({
        name: spec.name,
        spec,
        instances: slots.map((instance) => instanceOf(id++, instance, statuses[instance]!)),
      }));
    }),
);

const optionsArb: fc.Arbitrary<PlanOptions> = fc.record(
  { prune: fc.boolean(), only: fc.subarray([...NAMES], { minLength: 1 }) },
  { requiredKeys: ['prune'] },
);

function instanceOf(id: number, instance: number, status: ObservedInstance['status']): ObservedInstance {
  return { id, instance, status, pid: isLive(status) ? 10_000 + id : null };
}

/** A restart delay longer than any plan takes to carry out: it holds a crashed instance in waiting-restart. */
const HOUR = 3_600_000;

/**
 * A daemon holding `world`: the real registry, each instance brought to its status through its own machine, over fake
 * processes that stay there, or move only between live statuses: `launching` is a spawn that answers after a second,
 * `stopping` a restart of a process that ignores SIGINT (SIGKILL ends it after kill_timeout, then it starts again),
 * `waiting-restart` a crash an hour before its restart.
 */
async function daemonIn(world: readonly ObservedApp[]): Promise<ReturnType<typeof fakeDaemon>> {
  const daemon = fakeDaemon();
  const { fake, registry } = daemon;
  const placed: Array<{ p: ManagedProcess; spec: AppSpec; status: ProcessStatus }> = [];
  for (const app of world) {
    for (const { id, instance, status } of app.instances) {
      let spec = app.spec;
      if (status === 'launching') fake.nextSpawn({ spawnAfterMs: 1000 });
      if (status === 'errored') fake.nextSpawn({ spawnFails: `cannot start ${app.name}` });
      if (status === 'stopping') fake.nextSpawn({ ignores: ['SIGINT'] });
      if (status === 'waiting-restart') spec = { ...spec, policy: { ...spec.policy, restartDelayMs: HOUR } };
      const p = registry.add(spec, instance, { id, autostart: status !== 'stopped' });
      placed.push({ p, spec: app.spec, status });
    }
    registry.setSpec(app.name, app.spec);
  }
  await flush();
  for (const { p, status } of placed) {
    if (status === 'stopping') p.restart();
    if (status === 'waiting-restart') fake.byPid(p.pid)!.exit(1);
  }
  await flush();
  for (const { p, spec, status } of placed) {
    if (p.spec !== spec) p.updateSpec(spec);
    expect(p.status, `${p.name}[${p.instance}] placed`).toBe(status);
  }
  return daemon;
}

/** Carries out a plan as the daemon's apply does: the actions, then the wait for what they started to come up. */
async function carryOut(registry: AppRegistry, actions: Action[]): Promise<void> {
  const started = await drive(executeActions(registry, actions, () => {}));
  await drive(settle(started, () => {}));
}

/** An app as observed, with the statuses that move by themselves (a spawn or a restart in progress) only as "live". */
function steady(app: ObservedApp | undefined, moving: ReadonlySet<number>) {
  if (!app) return app;
  return {
    ...app,
    instances: app.instances.map((i) =>
      moving.has(i.id) ? { id: i.id, instance: i.instance, live: isLive(i.status) } : i,
    ),
  };
}

describe('applying a plan converges (property)', () => {
  beforeEach(useFakeTime);
  afterEach(() => {
    vi.useRealTimers();
  });

  it('after the executor carried out the plan, every wanted app matches its spec and a second plan is empty', async () => {
    await fc.assert(
      fc.asyncProperty(desiredArb, observedArb, optionsArb, async (desired, world, given) => {
        vi.clearAllTimers();
        const { fake, registry } = await daemonIn(world);
        // Applied by this file before: prune may delete them (ownership has its own tests, plan/ownership.test.ts).
        registry.setOwner(
          world.map((app) => app.name),
          FIXTURE_OWNER,
        );
        const observed = registry.observe();
        // The config loader refuses --only names the file does not define, so the daemon only sees those.
        const only = given.only?.filter((name) => desired.apps.some((app) => app.name === name));
        const options: PlanOptions = { prune: given.prune, ...(only?.length ? { only } : {}) };
        const plan = planApply(desired, observed, options);
        await carryOut(registry, plan.actions);
        const after = registry.observe();
        const inScope = (name: string) => !options.only || options.only.includes(name);

        for (const spec of desired.apps.filter((app) => inScope(app.name))) {
          const app = after.find((a) => a.name === spec.name);
          expect(app, `app ${spec.name} exists`).toBeDefined();
          expect(diffSpecs(app!.spec, spec).all, `${spec.name} stores its desired spec`).toEqual([]);
          // What runs, or starts next, is what the file says: no live instance is left on a spec a restart replaces.
          for (const p of registry.apps.get(spec.name)!.processes.values()) {
            if (!isLive(p.status)) continue;
            const runs = fake.byPid(p.pid)?.spec ?? p.spec;
            const restartChanges = diffSpecs(runs, spec).all.filter((change) => change.effect === 'restart');
            expect(restartChanges, `${spec.name}[${p.instance}] runs its desired spec`).toEqual([]);
          }
          const indexes = app!.instances.map((i) => i.instance).sort((a, b) => a - b);
          if (spec.autostart) {
            expect(indexes, `${spec.name} has instances 0..n-1`).toEqual([...Array(spec.instances).keys()]);
            expect(
              app!.instances.every((i) => isLive(i.status)),
              `${spec.name} is up`,
            ).toBe(true);
          } else {
            // autostart: false creates no process on a change; it only removes the ones over the count.
            expect(
              indexes.every((i) => i < spec.instances),
              `${spec.name} has no instance over the count`,
            ).toBe(true);
          }
        }
        const moving = new Set(
          observed.flatMap((app) =>
            app.instances.filter((i) => i.status === 'launching' || i.status === 'stopping').map((i) => i.id),
          ),
        );
        for (const app of after) {
          const wanted = desired.apps.some((a) => a.name === app.name);
          if (options.prune && inScope(app.name)) expect(wanted, `${app.name} pruned`).toBe(true);
          if (!inScope(app.name))
            expect(steady(app, moving)).toEqual(
              steady(
                observed.find((o) => o.name === app.name),
                moving,
              ),
            );
        }
        expect(planApply(desired, after, options).actions).toEqual([]);
        for (const p of registry.processes()) p.dispose();
      }),
      { numRuns: 2000 },
    );
  });

  it('--only naming an app neither side knows is the one refusal', () => {
    fc.assert(
      fc.property(desiredArb, observedArb, optionsArb, (desired, observed, options) => {
        const known = new Set([...desired.apps, ...observed].map((a) => a.name));
        const typo = options.only?.some((name) => !known.has(name)) ?? false;
        let error: unknown;
        try {
          planApply(desired, observed, options);
        } catch (err) {
          error = err;
        }
        expect(error === undefined ? 'planned' : isTendError(error) ? error.code : error).toBe(
          typo ? 'UNKNOWN_APP' : 'planned',
        );
      }),
      { numRuns: 500 },
    );
  });

  it('a plan never names an instance twice in one action, nor an app the state does not hold', () => {
    fc.assert(
      fc.property(desiredArb, observedArb, (desired, observed) => {
        const { actions } = planApply(desired, observed, { prune: true });
        for (const action of actions) {
          if ('instances' in action) expect(new Set(action.instances).size).toBe(action.instances.length);
          const known = desired.apps.some((a) => a.name === action.app) || observed.some((a) => a.name === action.app);
          expect(known).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  // Found by the property above. `tend scale api 1` (or a file going from 2 to 1 instances) stops
  // instance 1 but left the stored spec at 2, so `tend plan` then showed a spurious `instances 2 → 1`.
  it('after a scale-down the stored spec has the new count', async () => {
    const desired = makeDesired([makeSpec('api', { instances: 1 })]);
    const { registry } = await daemonIn([makeObserved(makeSpec('api', { instances: 2 }))]);
    await carryOut(registry, planApply(desired, registry.observe()).actions);
    expect(registry.observe()[0]!.instances.map((i) => i.instance)).toEqual([0]);
    expect(planApply(desired, registry.observe()).actions).toEqual([]);
  });

  // Reached by `tend delete <id>` of instance 0 of a hand-started autostart: false app, then an apply:
  // the scale-down removed the app's last process and the registry forgot the app with its spec.
  it('an autostart: false app scaled down to none of its old instances keeps its spec', async () => {
    const spec = makeSpec('cron', { autostart: false });
    const { registry } = await daemonIn([{ name: 'cron', spec, instances: [instanceOf(0, 1, 'online')] }]);
    const desired = makeDesired([spec]);
    await carryOut(registry, planApply(desired, registry.observe()).actions);
    expect(registry.observe()).toMatchObject([{ name: 'cron', spec, instances: [{ instance: 0, status: 'stopped' }] }]);
    expect(planApply(desired, registry.observe()).actions).toEqual([]);
  });
});
