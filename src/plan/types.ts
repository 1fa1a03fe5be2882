import type { AppOwner, AppSpec } from '../config/types.js';
import type { ProcessStatus } from '../supervisor/status.js';

/** One running (or stopped) instance, as the daemon sees it. */
export interface ObservedInstance {
  /** tend's process id (PM2's pm_id), unique in the daemon. */
  id: number;
  /** Index among the app's instances, 0-based. */
  instance: number;
  status: ProcessStatus;
  pid: number | null;
}

/** One app the daemon manages, with the spec its instances were started from. */
export interface ObservedApp {
  name: string;
  spec: AppSpec;
  instances: ObservedInstance[];
  /** Who applied it last; null or absent for an app recorded before owners existed. */
  owner?: AppOwner | null;
}

/** One field that differs between the running spec and the desired one. */
export interface FieldChange {
  /** Dotted path such as `run.env.PORT` or `policy.maxRestarts`. */
  field: string;
  from: unknown;
  to: unknown;
}

/**
 * One step of a plan. The daemon executes them in order.
 * Every action that carries a `spec` also makes it the app's stored spec, so a later `tend start`
 * or restart uses it; `update-policy` is emitted only for changes no other action of the app carries.
 */
export type Action =
  /** A new app: start all its instances. */
  | { type: 'start'; app: string; spec: AppSpec; instances: number[]; reason: string }
  /** A new app with `autostart: false`: store its spec, start nothing. */
  | { type: 'register'; app: string; spec: AppSpec; reason: string }
  /** Instances that exist but are stopped or errored while the file says they should run. */
  | { type: 'resume'; app: string; spec: AppSpec; instances: number[]; reason: string }
  /** `instances` grew: start only the new ones; running ones are not touched. */
  | { type: 'scale-up'; app: string; spec: AppSpec; from: number; to: number; instances: number[]; reason: string }
  /** `instances` shrank: stop and remove the highest indexes, gracefully. */
  | { type: 'scale-down'; app: string; spec: AppSpec; from: number; to: number; instances: number[]; reason: string }
  /** What runs changed (fork mode): stop then start these instances with the new spec. */
  | { type: 'restart'; app: string; spec: AppSpec; instances: number[]; changes: FieldChange[]; reason: string }
  /** What runs changed (cluster mode): rolling reload of these instances. */
  | { type: 'reload'; app: string; spec: AppSpec; instances: number[]; changes: FieldChange[]; reason: string }
  /**
   * Only policy changed: new limits and delays apply to the running instances, no restart.
   * Also stores changes no other action carries (namespace, autostart, or any change to an app
   * with no live instance), so `changes` may name fields outside `policy.*`.
   */
  | { type: 'update-policy'; app: string; spec: AppSpec; changes: FieldChange[]; reason: string }
  /** autostart turned false for running instances: stop them, keep them registered. */
  | { type: 'stop'; app: string; spec: AppSpec; instances: number[]; reason: string }
  /** The file no longer names the app and --prune was given: stop and forget it. */
  | { type: 'delete'; app: string; instances: number[]; reason: string };

export type ActionType = Action['type'];

export interface PlanOptions {
  /** Only these app names are considered, on both sides. */
  only?: string[];
  /** Delete observed apps the desired state does not name. */
  prune?: boolean;
  /**
   * PM2's `restart FILE`, `reload FILE` and `start FILE`: every app of the file that runs is restarted (or, with
   * `reload`, a cluster app reloaded one instance at a time) even when nothing changed, and its stopped instances are
   * started, whatever `autostart` says; apps not running yet are started as usual.
   */
  restart?: 'restart' | 'reload';
  /** With `only`: do not bring along the apps they depend on (`--no-deps`). */
  noDeps?: boolean;
  /** Take apps another owner applied instead of refusing (`--take-over`). */
  takeOver?: boolean;
}

/** What an apply must hold to before it acts: CI gates, and for a saved plan the fingerprints it was made against. */
export interface ApplyGuard {
  gates?: { deny?: string[]; maxUnavailable?: number };
  expect?: Record<string, string>;
  /** `--atomic`: if an instance it starts is not up (and ready) in time, the apps it touched are put back. */
  atomic?: boolean;
  /** How the history records it when it is not a plain apply of a file or the command line's start. */
  recordAs?: 'rollback' | 'scale';
}

export interface Plan {
  actions: Action[];
  /** Desired apps that need nothing. */
  unchanged: string[];
  /** Observed apps the file does not name, left alone: --prune was not given, or another owner has them. */
  orphans: string[];
  /** The owner key of this plan's desired state (`project:NAME`, `file:PATH`, `cli`). */
  owner?: string;
  /** Each orphan's owner key; null for an app from before owners. */
  orphanOwners?: Record<string, string | null>;
  /** The apps this apply owns once it is carried out: every app of the file in scope. */
  claims?: string[];
  /** Fingerprints of the observed apps the plan looked at (set by the daemon): a saved plan is stale once they move. */
  observed?: Record<string, string>;
  /**
   * The apps of the apply in dependency order (`depends_on`): an app of a wave starts once the apps it depends on, in
   * earlier waves, are up. Absent when no app has `depends_on`; the actions are then carried out as listed.
   */
  waves?: string[][];
}
