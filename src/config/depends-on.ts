import type { PathSegment } from './key-path.js';
import type { Report } from './report.js';
import { closestName } from './suggest.js';
import type { Dependency, DependencyCondition } from './types.js';

/** One `depends_on` entry as written, with where it is, for messages. */
export interface DependencyEntry extends Dependency {
  /** The list item (short form) or the key (long form) that names the dependency. */
  path: PathSegment[];
}

/** The dependencies of one app of the file, by the app's name as written in the file. */
export interface AppDependencies {
  name: string;
  entries: DependencyEntry[];
}

/**
 * Reads an app's `depends_on` (already checked against the schema): the short form `[db, cache]`, or the long form
 * `{ db: { condition: ready, restart: true } }` (docker compose's), each entry with the path of its name.
 */
export function readDependsOn(value: unknown, at: PathSegment[]): DependencyEntry[] {
  if (Array.isArray(value))
    return value
      .filter((name): name is string => typeof name === 'string')
      .map((app, index) => ({ app, condition: 'started', restart: false, path: [...at, index] }));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, { condition?: DependencyCondition; restart?: boolean }>).map(
    ([app, options]) => ({
      app,
      condition: options?.condition ?? 'started',
      restart: options?.restart === true,
      path: [...at, app],
    }),
  );
}

/**
 * Names that are not apps of the file, and cycles, each reported at the `depends_on` entry that makes it: nothing is
 * started from a file whose order cannot be decided. A cycle is named whole (`api → worker → api`), once.
 */
export function checkDependencies(apps: readonly AppDependencies[], report: Report): void {
  const known = new Set(apps.map((app) => app.name));
  const byName = new Map(apps.map((app) => [app.name, app]));
  for (const app of apps) {
    for (const entry of app.entries) {
      if (known.has(entry.app)) continue;
      const guess = closestName(entry.app, [...known]);
      report.problem(
        entry.path,
        `depends_on names \`${entry.app}\`, which is not an app of this file${guess ? `; did you mean \`${guess}\`?` : ''} (a dependency must be in the same file)`,
        'key',
      );
    }
  }
  const reported = new Set<string>();
  for (const cycle of findCycles(apps, byName)) {
    const key = [...cycle.names].sort().join('\0');
    if (reported.has(key)) continue;
    reported.add(key);
    report.problem(
      cycle.entry.path,
      `dependency cycle: ${[...cycle.names, cycle.names[0]].join(' → ')}; nothing is started`,
      'key',
    );
  }
}

// Depth-first, in file order; a back edge closes a cycle, reported at the first entry of the cycle's first app.
function findCycles(
  apps: readonly AppDependencies[],
  byName: ReadonlyMap<string, AppDependencies>,
): Array<{ names: string[]; entry: DependencyEntry }> {
  const cycles: Array<{ names: string[]; entry: DependencyEntry }> = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: Array<{ name: string; entry: DependencyEntry }> = [];
  const visit = (name: string): void => {
    state.set(name, 'open');
    for (const entry of byName.get(name)?.entries ?? []) {
      if (!byName.has(entry.app)) continue;
      const seen = state.get(entry.app);
      if (seen === 'open' && entry.app === name) {
        cycles.push({ names: [name], entry });
      } else if (seen === 'open') {
        const start = stack.findIndex((frame) => frame.name === entry.app);
        const names = [...stack.slice(start).map((frame) => frame.name), name];
        // Reported where the cycle's first app (the first reached, in file order) names the next one.
        cycles.push({ names, entry: stack[start]!.entry });
      } else if (seen === undefined) {
        stack.push({ name, entry });
        visit(entry.app);
        stack.pop();
      }
    }
    state.set(name, 'done');
  };
  for (const app of apps) if (!state.has(app.name)) visit(app.name);
  return cycles;
}

/**
 * `names` and every name they depend on, directly or not (`--only api` also starts what api needs); `dependenciesOf`
 * gives one app's direct dependencies. Shared by the file's check (here) and the planner (plan/dependencies.ts).
 */
export function dependencyClosure(
  names: Iterable<string>,
  dependenciesOf: (name: string) => Iterable<string>,
): Set<string> {
  const out = new Set<string>();
  const pending = [...names];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (out.has(name)) continue;
    out.add(name);
    for (const dependency of dependenciesOf(name)) pending.push(dependency);
  }
  return out;
}

/** `names` and every app of the file they depend on, directly or not. */
export function withDependencies(names: readonly string[], apps: readonly AppDependencies[]): string[] {
  const byName = new Map(apps.map((app) => [app.name, app]));
  return [...dependencyClosure(names, (name) => (byName.get(name)?.entries ?? []).map((entry) => entry.app))];
}
