import type { AppSpec } from '../config/types.js';
import { dependencyClosure } from '../config/depends-on.js';
import { isLive } from '../supervisor/status.js';
import { ACTION_ORDER } from './order.js';
import type { Action, ActionType, ObservedApp } from './types.js';

/** What an app depends on, by name; the planner reads it from specs (desired, or observed for an app being deleted). */
export type DependencyGraph = ReadonlyMap<string, readonly string[]>;

/** The graph of these specs' `depends_on`, keeping only edges between them (`--no-deps` leaves some out). */
export function dependencyGraph(specs: Iterable<AppSpec>): DependencyGraph {
  const list = [...specs];
  const names = new Set(list.map((spec) => spec.name));
  return new Map(
    list.map((spec) => [spec.name, (spec.dependsOn ?? []).map((d) => d.app).filter((app) => names.has(app))]),
  );
}

/**
 * Each app's wave: 0 for an app that depends on none of the others, else one more than its highest dependency. Apps
 * of one wave do not depend on each other, so they start together. A cycle (refused when the file is read; the daemon
 * does not trust its callers) counts its closing edge as absent rather than looping.
 */
export function dependencyLevels(graph: DependencyGraph): Map<string, number> {
  const levels = new Map<string, number>();
  const open = new Set<string>();
  const levelOf = (name: string): number => {
    const known = levels.get(name);
    if (known !== undefined) return known;
    if (open.has(name)) return -1;
    open.add(name);
    let level = 0;
    for (const dependency of graph.get(name) ?? []) level = Math.max(level, levelOf(dependency) + 1);
    open.delete(name);
    levels.set(name, level);
    return level;
  };
  for (const name of graph.keys()) levelOf(name);
  return levels;
}

/** The apps by wave, in the order given within a wave (the file's). */
export function wavesOf(names: readonly string[], levels: ReadonlyMap<string, number>): string[][] {
  const waves: string[][] = [];
  for (const name of names) {
    const level = levels.get(name) ?? 0;
    while (waves.length <= level) waves.push([]);
    waves[level]!.push(name);
  }
  return waves.filter((wave) => wave.length > 0);
}

const TEARDOWN: ReadonlySet<ActionType> = new Set(['delete', 'stop', 'scale-down']);

/** Whether an action takes processes away (done dependents first) rather than bringing them up (dependencies first). */
export function isTeardown(action: Action): boolean {
  return TEARDOWN.has(action.type);
}

/**
 * The plan's actions in dependency order: first everything that stops processes, dependents before what they depend
 * on; then everything that starts or changes them, wave by wave. Within a wave, ACTION_ORDER holds. Stable.
 */
export function orderByDependencies(actions: readonly Action[], levels: ReadonlyMap<string, number>): Action[] {
  const level = (action: Action): number => levels.get(action.app) ?? 0;
  const rank = (action: Action): number =>
    isTeardown(action)
      ? -1e6 - level(action) * 100 + ACTION_ORDER[action.type]
      : level(action) * 100 + ACTION_ORDER[action.type];
  return actions
    .map((action, index) => ({ action, index }))
    .sort((a, b) => rank(a.action) - rank(b.action) || a.index - b.index)
    .map(({ action }) => action);
}

/**
 * `restart: true` in a long-form `depends_on`: an app whose dependency is restarted or reloaded by the plan is
 * restarted after it (reloaded, for a cluster app), when it runs and the plan does not already restart it. Follows
 * chains (db → api → web). Returns the actions added.
 */
export function dependentRestarts(
  actions: readonly Action[],
  wanted: readonly AppSpec[],
  observed: ReadonlyMap<string, ObservedApp>,
  levels: ReadonlyMap<string, number>,
): Action[] {
  const restarted = new Set(actions.filter((a) => a.type === 'restart' || a.type === 'reload').map((a) => a.app));
  const stopped = new Set(actions.filter((a) => a.type === 'stop' || a.type === 'delete').map((a) => a.app));
  const added: Action[] = [];
  const byLevel = [...wanted].sort((a, b) => (levels.get(a.name) ?? 0) - (levels.get(b.name) ?? 0));
  for (const spec of byLevel) {
    if (restarted.has(spec.name) || stopped.has(spec.name)) continue;
    const cause = spec.dependsOn?.find((d) => d.restart && restarted.has(d.app));
    const running = observed.get(spec.name);
    const live = running?.instances.filter((i) => isLive(i.status)).map((i) => i.instance) ?? [];
    if (!cause || live.length === 0) continue;
    const rolls = spec.run.execMode === 'cluster' && running?.spec.run.execMode === 'cluster';
    added.push({
      type: rolls ? 'reload' : 'restart',
      app: spec.name,
      spec,
      instances: live.sort((a, b) => a - b),
      changes: [],
      reason: `${cause.app} is restarted first (depends_on ${cause.app}: restart: true)`,
    });
    restarted.add(spec.name);
  }
  return added;
}

/** `names` and every app of `specs` they depend on, directly or not (`--only api` starts what api needs). */
export function withDependencies(names: ReadonlySet<string>, specs: readonly AppSpec[]): Set<string> {
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  return dependencyClosure(names, (name) => (byName.get(name)?.dependsOn ?? []).map((dependency) => dependency.app));
}

/**
 * `tend restart db` / `tend reload db`: the apps to restart afterwards because they depend on a restarted one with
 * `restart: true`, directly or through another such app (db → api → web), in waves: each after what it depends on.
 */
export function dependentsToRestart(restarted: ReadonlySet<string>, specs: readonly AppSpec[]): string[][] {
  const found = new Set<string>();
  const done = new Set(restarted);
  let grew = true;
  while (grew) {
    grew = false;
    for (const spec of specs) {
      if (done.has(spec.name) || !spec.dependsOn?.some((d) => d.restart && done.has(d.app))) continue;
      found.add(spec.name);
      done.add(spec.name);
      grew = true;
    }
  }
  const levels = dependencyLevels(dependencyGraph(specs));
  return wavesOf(
    specs.filter((spec) => found.has(spec.name)).map((spec) => spec.name),
    levels,
  );
}

/**
 * `tend stop` and `tend delete` of several apps: the apps in the order to stop them, dependents before what they
 * depend on, each group stopped together.
 */
export function stopOrder(names: readonly string[], specs: readonly AppSpec[]): string[][] {
  const levels = dependencyLevels(dependencyGraph(specs));
  return wavesOf(names, levels).reverse();
}
