import { createHash } from 'node:crypto';
import { TendError } from '../core/errors.js';
import type { DesiredState } from '../config/types.js';
import { isLive } from '../supervisor/status.js';
import type { ObservedApp, Plan } from './types.js';

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The apps a plan looked at: those of the file in scope, those it acts on, and those it left alone. */
export function planScope(plan: Plan): string[] {
  return [...new Set([...(plan.claims ?? []), ...plan.actions.map((a) => a.app), ...plan.orphans])].sort();
}

/**
 * What the planner reads of each app, hashed: its spec, its owner, and each instance's liveness (a dead instance's
 * status too, since it is in the plan's reason). A pid that changed in a crash restart does not change the plan.
 */
export function observedFingerprints(
  observed: readonly ObservedApp[],
  names: readonly string[],
): Record<string, string> {
  const byName = new Map(observed.map((app) => [app.name, app]));
  const prints: Record<string, string> = {};
  for (const name of names) {
    const app = byName.get(name);
    prints[name] = app
      ? sha256(
          JSON.stringify([
            app.spec,
            app.owner?.key ?? null,
            [...app.instances]
              .sort((a, b) => a.instance - b.instance)
              .map((i) => [i.instance, isLive(i.status) ? 'live' : i.status]),
          ]),
        )
      : 'absent';
  }
  return prints;
}

/** Apps whose state moved between two fingerprints, each with what happened to it. */
export function movedApps(before: Record<string, string>, after: Record<string, string>): string[] {
  const moved: string[] = [];
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = before[name] ?? 'absent';
    const is = after[name] ?? 'absent';
    if (was === is) continue;
    moved.push(was === 'absent' ? `${name} appeared` : is === 'absent' ? `${name} is gone` : `${name} changed`);
  }
  return moved.sort();
}

/** A saved plan that no longer holds: the message says what moved. */
export function staleError(what: string): TendError {
  return new TendError('PLAN_STALE', `the saved plan is stale, nothing was changed: ${what}; make a new plan`);
}

/** The validated apps a file asks for (its env files' values included), hashed. */
export function desiredFingerprint(desired: Pick<DesiredState, 'apps' | 'project'>): string {
  return sha256(JSON.stringify([desired.project ?? null, desired.apps]));
}
