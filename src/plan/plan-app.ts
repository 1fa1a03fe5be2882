import { plural } from '../core/plural.js';
import type { AppSpec } from '../config/types.js';
import type { ChangeEffect } from './classify.js';
import { describeChanges, formatPlanValue } from './describe.js';
import { diffSpecs, type ClassifiedChange } from './diff.js';
import { isLive } from '../supervisor/status.js';
import type { Action, FieldChange, ObservedApp, ObservedInstance, PlanOptions } from './types.js';

function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}

function strip(changes: readonly ClassifiedChange[]): FieldChange[] {
  return changes.map(({ field, from, to }) => ({ field, from, to }));
}

// "instance 1 errored, instances 2, 3 stopped": which instances and why they need resuming.
function describeDead(dead: readonly ObservedInstance[]): string {
  const byStatus = new Map<string, number[]>();
  for (const instance of dead) {
    const list = byStatus.get(instance.status) ?? [];
    list.push(instance.instance);
    byStatus.set(instance.status, list);
  }
  return [...byStatus]
    .map(([status, list]) => `${list.length === 1 ? 'instance' : 'instances'} ${list.join(', ')} ${status}`)
    .join(', ');
}

/** The actions that bring an app from nothing to its desired spec. */
function planNewApp(desired: AppSpec): Action[] {
  if (!desired.autostart)
    return [{ type: 'register', app: desired.name, spec: desired, reason: 'new in the file, autostart: false' }];
  return [
    { type: 'start', app: desired.name, spec: desired, instances: range(desired.instances), reason: 'new in the file' },
  ];
}

/**
 * The actions that bring one app from what runs to its desired spec, level-based: it looks at
 * every observed instance, not at what changed last, so re-planning after a partial apply converges.
 * `restart` (PM2's `restart FILE`/`reload FILE`): a running app is restarted (or reloaded) even if nothing changed,
 * and its stopped instances are started.
 */
export function planApp(
  desired: AppSpec,
  observed: ObservedApp | undefined,
  restart?: PlanOptions['restart'],
): Action[] {
  if (observed === undefined) return planNewApp(desired);

  const app = desired.name;
  const diff = diffSpecs(observed.spec, desired);
  const sorted = [...observed.instances].sort((a, b) => a.instance - b.instance);
  const extras = sorted.filter((i) => i.instance >= desired.instances);
  const kept = sorted.filter((i) => i.instance < desired.instances);
  const live = kept.filter((i) => isLive(i.status));
  const dead = kept.filter((i) => !isLive(i.status));
  const keptIndexes = new Set(kept.map((i) => i.instance));
  const missing = range(desired.instances).filter((index) => !keptIndexes.has(index));
  const instancesChange = diff.all.find((change) => change.effect === 'scale');
  const autostartChange = diff.all.find((change) => change.effect === 'autostart');

  const turnedOff = !desired.autostart && observed.spec.autostart;
  // An app registered with autostart: false that someone started by hand is kept in line with the
  // file like any running app; only its stopped instances stay stopped.
  const shouldRun = restart !== undefined || desired.autostart || (!turnedOff && live.length > 0);

  const actions: Action[] = [];
  const explained = new Set<ChangeEffect>();

  if (extras.length > 0) {
    actions.push({
      type: 'scale-down',
      app,
      spec: desired,
      from: sorted.length,
      to: desired.instances,
      instances: extras.map((i) => i.instance),
      reason: instancesChange
        ? `instances ${formatPlanValue(instancesChange.from)} → ${formatPlanValue(instancesChange.to)}`
        : `only ${plural(desired.instances, 'instance')} wanted`,
    });
    explained.add('scale');
  }

  if (turnedOff && live.length > 0 && restart === undefined) {
    actions.push({
      type: 'stop',
      app,
      spec: desired,
      instances: live.map((i) => i.instance),
      reason: 'autostart: true → false',
    });
    for (const effect of ['restart', 'in-place', 'autostart'] as const) explained.add(effect);
  }

  if (shouldRun) {
    if ((diff.effects.has('restart') || restart !== undefined) && live.length > 0) {
      // A switch between fork and cluster cannot be rolled: the old instances are not cluster workers. A fork app rolls
      // on the sockets tend holds for it (`listen`), while they stay the same ones.
      const changed = (field: string): boolean => diff.all.some((change) => change.field === field);
      const sharesSocket = desired.run.execMode === 'cluster' || desired.run.listen !== undefined;
      const rolls = sharesSocket && !changed('run.execMode') && !changed('run.listen') && restart !== 'restart';
      const changes = diff.all.filter((change) => change.effect !== 'scale');
      actions.push({
        type: rolls ? 'reload' : 'restart',
        app,
        spec: desired,
        instances: live.map((i) => i.instance),
        changes: strip(changes),
        reason: changes.length > 0 ? describeChanges(changes) : `\`${restart}\` asked for it`,
      });
      for (const effect of ['restart', 'in-place', 'autostart'] as const) explained.add(effect);
    }
    if (dead.length > 0 && (desired.autostart || restart !== undefined)) {
      const reason = autostartChange ? 'autostart: false → true' : describeDead(dead);
      actions.push({ type: 'resume', app, spec: desired, instances: dead.map((i) => i.instance), reason });
      explained.add('autostart');
    }
    if (missing.length > 0) {
      actions.push({
        type: 'scale-up',
        app,
        spec: desired,
        from: kept.length,
        to: desired.instances,
        instances: missing,
        reason: instancesChange
          ? `instances ${formatPlanValue(instancesChange.from)} → ${formatPlanValue(instancesChange.to)}`
          : `${missing.length === 1 ? 'instance' : 'instances'} ${missing.join(', ')} missing`,
      });
      explained.add('scale');
    }
  }

  // An autostart: false app whose only processes were extras would be forgotten with them: its
  // instances are registered again, stopped, so the app and its spec stay known.
  if (!shouldRun && kept.length === 0 && extras.length > 0) {
    actions.push({
      type: 'register',
      app,
      spec: desired,
      reason: `keeps ${app} (autostart: false) once its old instances are gone`,
    });
  }

  // Whatever no action above carries still has to reach the daemon: new limits for running
  // instances, or the new spec of an app that is not running.
  const unexplained = diff.all.filter((change) => !explained.has(change.effect));
  if (unexplained.length > 0) {
    actions.push({
      type: 'update-policy',
      app,
      spec: desired,
      changes: strip(unexplained),
      reason: describeChanges(unexplained),
    });
  }
  return actions;
}
