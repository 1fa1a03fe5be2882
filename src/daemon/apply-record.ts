import type { AppOwner, AppSpec, DesiredState } from '../config/types.js';
import { planApply } from '../plan/plan-apply.js';
import type { Plan } from '../plan/types.js';
import type { HistoryEntry } from '../runtime/history.js';
import type { AppRegistry } from './app-registry.js';

/** The apps a plan acts on, in its order. */
export function touchedApps(plan: Plan): string[] {
  return [...new Set(plan.actions.map((action) => action.app))];
}

/** Each app's stored spec now; null for one the daemon does not have. */
export function specsOf(registry: AppRegistry, names: readonly string[]): Record<string, AppSpec | null> {
  return Object.fromEntries(names.map((name) => [name, registry.apps.get(name)?.spec ?? null]));
}

export function ownersOf(registry: AppRegistry, names: readonly string[]): Record<string, AppOwner | null> {
  return Object.fromEntries(names.map((name) => [name, registry.apps.get(name)?.owner ?? null]));
}

const SUMMARY_APPS = 8;

/** The plan in one line for `tend history`: "api restart, web start, +3 more"; "no changes". */
export function summaryOf(plan: Plan): string {
  const parts = plan.actions.map((action) => `${action.app} ${action.type}`);
  if (parts.length === 0) return 'no changes';
  const shown = parts.slice(0, SUMMARY_APPS).join(', ');
  return parts.length > SUMMARY_APPS ? `${shown}, +${parts.length - SUMMARY_APPS} more` : shown;
}

export function historyKind(desired: Pick<DesiredState, 'owner' | 'file'>): HistoryEntry['kind'] {
  return (desired.owner?.key ?? (desired.file === null ? 'cli' : '')) === 'cli' ? 'start' : 'apply';
}

/**
 * `apply --atomic` gone wrong: the plan that puts the apps an apply touched back as they were (specs from before it,
 * deleted if they did not exist). Planned by the same planner, scoped to those apps, as their owner now: the apply
 * claimed them.
 */
export function restorePlan(
  registry: AppRegistry,
  before: Record<string, AppSpec | null>,
  owner: AppOwner | undefined,
): Plan {
  const names = Object.keys(before);
  const apps = Object.values(before).filter((spec): spec is AppSpec => spec !== null);
  const desired: DesiredState = { file: null, apps, warnings: [], ...(owner ? { owner } : {}) };
  return planApply(desired, registry.observe(), { only: names, prune: true, takeOver: true, noDeps: true });
}
