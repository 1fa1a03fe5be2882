import type { AppSpec, LogSpec, PolicySpec, RunSpec } from '../config/types.js';

/** What a change to one field of an app's spec does to the app. */
export type ChangeEffect =
  /** What runs changed: restart (fork) or reload (cluster) the live instances. */
  | 'restart'
  /** The instance count changed: start or stop only the difference, touch no running instance. */
  | 'scale'
  /** Applies to the running instances in place (`update-policy`), no restart. */
  | 'in-place'
  /** Whether the app should run at all: stop it, or resume it. */
  | 'autostart'
  /** Bookkeeping that never causes an action; the new value travels with any other action. */
  | 'none';

/** How a field is compared: whole, or key by key so a plan names `run.env.PORT` rather than `run.env`. */
export type CompareMode = 'whole' | 'by-key';

export interface FieldRule {
  /** Dotted path, as in FieldChange.field. */
  path: string;
  effect: ChangeEffect;
  compare: CompareMode;
  read: (spec: AppSpec) => unknown;
}

// The `satisfies` clauses make a field added to the contract without a row here a type error.
const RUN_EFFECTS = {
  script: 'restart',
  args: 'restart',
  interpreter: 'restart',
  interpreterArgs: 'restart',
  cwd: 'restart',
  env: 'restart',
  execMode: 'restart',
  instanceVar: 'restart',
  incrementVar: 'restart',
  // The probe is loaded by node's flags at spawn.
  probe: 'restart',
  // The user and group are set when the process is spawned.
  uid: 'restart',
  gid: 'restart',
  // Written when the process is spawned.
  pidFile: 'restart',
  // The held sockets are bound again; a fork app with the same sockets is reloaded instead (plan-app.ts).
  listen: 'restart',
} as const satisfies Record<keyof RunSpec, ChangeEffect>;

// Log files are opened by the process's launcher, so new paths need a new process.
const LOG_EFFECTS = {
  out: 'restart',
  err: 'restart',
  merge: 'restart',
  // The log writer (or its absence) is chosen at spawn.
  dateFormat: 'restart',
  json: 'restart',
  rotate: 'restart',
  combined: 'restart',
} as const satisfies Record<keyof LogSpec, ChangeEffect>;

const POLICY_EFFECTS = {
  autorestart: 'in-place',
  maxRestarts: 'in-place',
  minUptimeMs: 'in-place',
  restartDelayMs: 'in-place',
  expBackoffRestartDelayMs: 'in-place',
  stopExitCodes: 'in-place',
  maxMemoryRestartBytes: 'in-place',
  killSignal: 'in-place',
  killTimeoutMs: 'in-place',
  listenTimeoutMs: 'in-place',
  waitReady: 'in-place',
  shutdownWithMessage: 'in-place',
  watch: 'in-place',
  // The daemon re-arms the app's timer; the running process is not touched.
  cronRestart: 'in-place',
  // The daemon's check scheduler reads the new checks at their next run; the running process is not touched.
  ready: 'in-place',
  health: 'in-place',
} as const satisfies Record<keyof PolicySpec, ChangeEffect>;

// `name` is the identity the planner matches on, so it never differs between the two sides.
const APP_EFFECTS = {
  name: 'none',
  namespace: 'in-place',
  instances: 'scale',
  autostart: 'autostart',
  envSources: 'none',
  origin: 'none',
  // Only the order of later applies and restarts changes; the new value is stored, nothing is restarted.
  dependsOn: 'in-place',
} as const satisfies Record<Exclude<keyof AppSpec, 'run' | 'logs' | 'policy'>, ChangeEffect>;

const BY_KEY = new Set(['run.env', 'policy.watch']);

function sectionRules<S extends 'run' | 'logs' | 'policy'>(
  section: S,
  effects: Record<keyof AppSpec[S] & string, ChangeEffect>,
): FieldRule[] {
  return (Object.keys(effects) as (keyof AppSpec[S] & string)[]).map((key) => ({
    path: `${section}.${key}`,
    effect: effects[key],
    compare: BY_KEY.has(`${section}.${key}`) ? 'by-key' : 'whole',
    read: (spec: AppSpec) => spec[section][key],
  }));
}

/** The table the planner diffs by: every field of an AppSpec, in the order plans list changes. */
export const FIELD_RULES: readonly FieldRule[] = [
  ...sectionRules('run', RUN_EFFECTS),
  ...sectionRules('logs', LOG_EFFECTS),
  ...(Object.keys(APP_EFFECTS) as (keyof typeof APP_EFFECTS)[]).map(
    (key): FieldRule => ({ path: key, effect: APP_EFFECTS[key], compare: 'whole', read: (spec) => spec[key] }),
  ),
  ...sectionRules('policy', POLICY_EFFECTS),
];

const EFFECT_BY_PATH = new Map(FIELD_RULES.map((rule) => [rule.path, rule.effect]));

/** Lets callers (format, tests) ask what a reported change does, including `run.env.X` and `policy.watch.paths`. */
export function effectOf(field: string): ChangeEffect {
  const exact = EFFECT_BY_PATH.get(field);
  if (exact !== undefined) return exact;
  return EFFECT_BY_PATH.get(field.split('.', 2).join('.')) ?? 'none';
}
