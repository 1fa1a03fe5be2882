import type { ActionType, Plan } from './types.js';

/** How many apps each kind of change touches; an app with a restart and a scale-up counts in both. */
export interface PlanSummary {
  start: number;
  register: number;
  restart: number;
  reload: number;
  /** Apps scaled up or down (counted once if both). */
  scale: number;
  updateInPlace: number;
  stop: number;
  resume: number;
  delete: number;
  unchanged: number;
  orphans: number;
}

const COUNTER: Record<ActionType, keyof PlanSummary> = {
  start: 'start',
  register: 'register',
  restart: 'restart',
  reload: 'reload',
  'scale-up': 'scale',
  'scale-down': 'scale',
  'update-policy': 'updateInPlace',
  stop: 'stop',
  resume: 'resume',
  delete: 'delete',
};

/** Counts for the summary line and for scripts (`tend plan --exit-code`, `--json`). */
export function summarizePlan(plan: Plan): PlanSummary {
  const apps = new Map<keyof PlanSummary, Set<string>>();
  for (const action of plan.actions) {
    const key = COUNTER[action.type];
    const set = apps.get(key) ?? new Set<string>();
    set.add(action.app);
    apps.set(key, set);
  }
  const count = (key: keyof PlanSummary): number => apps.get(key)?.size ?? 0;
  return {
    start: count('start'),
    register: count('register'),
    restart: count('restart'),
    reload: count('reload'),
    scale: count('scale'),
    updateInPlace: count('updateInPlace'),
    stop: count('stop'),
    resume: count('resume'),
    delete: count('delete'),
    unchanged: plan.unchanged.length,
    orphans: plan.orphans.length,
  };
}

/** Whether applying the plan would do anything; orphans alone are not a change (they are left alone). */
export function hasChanges(plan: Plan): boolean {
  return plan.actions.length > 0;
}
