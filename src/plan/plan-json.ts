import { isSecretField } from './describe.js';
import { disruptionOf, type Disruption, unavailableOf } from './gates.js';
import { summarizePlan, type PlanSummary } from './summary.js';
import type { Action, FieldChange, Plan } from './types.js';

/** Bumped only when a field changes meaning or goes; new fields may appear in any version. */
export const PLAN_JSON_VERSION = 1;

/** `tend plan --json`: the plan for CI bots and scripts, credentials masked as in the printed plan. */
export interface PlanJson {
  version: typeof PLAN_JSON_VERSION;
  /** The owner key the plan was made for (`project:NAME`, `file:PATH`, `cli`). */
  owner: string | null;
  actions: Array<{
    type: Action['type'];
    app: string;
    instances: number[];
    disruption: Disruption;
    /** Instances down at once while it runs. */
    unavailable: number;
    reason: string;
    changes: FieldChange[];
  }>;
  unchanged: string[];
  /** Apps the file does not name, left alone; `prunable` when `--prune` would delete them (same owner). */
  kept: Array<{ app: string; owner: string | null; prunable: boolean }>;
  /** `depends_on` waves, when some app has dependencies. */
  waves: string[][] | null;
  summary: PlanSummary;
  /** Each gate (`--deny`, `--max-unavailable`) the plan breaks; empty when it passes. */
  denied: string[];
}

function masked(change: FieldChange): FieldChange {
  if (!isSecretField(change.field)) return change;
  const hide = (value: unknown) => (value === undefined ? undefined : '***');
  return { field: change.field, from: hide(change.from), to: hide(change.to) };
}

export function planJson(plan: Plan, denied: readonly string[] = []): PlanJson {
  return {
    version: PLAN_JSON_VERSION,
    owner: plan.owner ?? null,
    actions: plan.actions.map((action) => ({
      type: action.type,
      app: action.app,
      instances: 'instances' in action ? action.instances : [],
      disruption: disruptionOf(action),
      unavailable: unavailableOf(action),
      reason: action.reason,
      changes: 'changes' in action ? action.changes.map(masked) : [],
    })),
    unchanged: plan.unchanged,
    kept: plan.orphans.map((app) => {
      const owner = plan.orphanOwners?.[app] ?? null;
      return { app, owner, prunable: owner !== null && owner === plan.owner };
    }),
    waves: plan.waves ?? null,
    summary: summarizePlan(plan),
    denied: [...denied],
  };
}
