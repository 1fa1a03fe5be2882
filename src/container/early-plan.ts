import type { AppSpec, DesiredState } from '../config/types.js';
import type { SpawnRequest } from '../runtime/spawn-instance.js';

/** One instance tend-runtime starts before its daemon is set up, under the id and run marker the daemon will give it. */
export interface EarlyStart {
  spec: AppSpec;
  instance: number;
  id: number;
  runMarker: string;
}

/**
 * The instances of the first apply, in the order the daemon will start them, when that order is sure; null when it is
 * not, and the file is started the usual way, once the daemon is set up. It is sure for a file of fork-mode apps that
 * all start (autostart) with no `depends_on` and no `listen` (sockets only the daemon holds): the plan then starts
 * them in the file's order, each app's instances 0, 1, … one after the other, and the registry of a run, empty,
 * numbers them 0, 1, …. Each spawn of the daemon takes the next run marker (`runtime/run-marker.ts`:
 * `<id>.<daemon pid>.<spawns so far>`), so instance k of that order gets `<k>.<pid>.<k + 1>`. Whatever the daemon
 * asks for in the end is checked against these, whole (`sameRequest`); this only has to be right to save the time.
 */
export function earlyStarts(desired: DesiredState, pid: number): EarlyStart[] | null {
  const startsSimply = (spec: AppSpec): boolean =>
    spec.run.execMode === 'fork' && spec.run.listen === undefined && spec.autostart && spec.dependsOn === undefined;
  if (desired.apps.length === 0 || !desired.apps.every(startsSimply)) return null;
  const starts: EarlyStart[] = [];
  for (const spec of desired.apps)
    for (let instance = 0; instance < spec.instances; instance++) {
      const id = starts.length;
      starts.push({ spec, instance, id, runMarker: `${id}.${pid}.${id + 1}` });
    }
  return starts;
}

/**
 * Whether two spawn requests ask for the same process: same spec, instance, id, environment, preloads and stdin. The
 * daemon's request is taken over only when it is the one tend-runtime already spawned; key order and keys left
 * undefined do not count.
 */
export function sameRequest(a: SpawnRequest, b: SpawnRequest): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}
