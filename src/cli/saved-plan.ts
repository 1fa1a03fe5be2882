import { readFile } from 'node:fs/promises';
import { writeFileAtomically } from '../core/atomic-file.js';
import { TendError } from '../core/errors.js';
import { type PlanJson, planJson } from '../plan/plan-json.js';
import type { ApplyGuard, Plan, PlanOptions } from '../plan/types.js';

declare const TEND_VERSION: string;
const tendVersion = (): string => (typeof TEND_VERSION === 'string' ? TEND_VERSION : '0.0.0');

const KIND = 'tend-plan';
const VERSION = 1;

/**
 * `tend plan FILE -o plan.json`: what the plan was made from (the file, how it was read, the fingerprints of its
 * desired state and of the running apps it looked at) and the plan itself, for people and bots. `tend apply
 * plan.json` reads the file again and lets the daemon plan anew: the planner is pure, so with both fingerprints the
 * same, the plan is the same one; with either moved, it refuses.
 */
export interface SavedPlan {
  kind: typeof KIND;
  version: typeof VERSION;
  tend: string;
  /** TEND_HOME it was made against: another home's running apps are another state. */
  home: string;
  createdAt: string;
  file: string;
  /** How the file was read: `--env`, `--only`, `--no-deps`. */
  load: { env?: string; only?: string; deps?: boolean };
  options: PlanOptions;
  gates: NonNullable<ApplyGuard['gates']>;
  desired: string;
  observed: Record<string, string>;
  plan: PlanJson;
}

export function savedPlanOf(
  args: Omit<SavedPlan, 'kind' | 'version' | 'tend' | 'createdAt' | 'plan'> & { plan: Plan },
): SavedPlan {
  return {
    kind: KIND,
    version: VERSION,
    tend: tendVersion(),
    createdAt: new Date().toISOString(),
    ...args,
    plan: planJson(args.plan),
  };
}

export async function writeSavedPlan(path: string, saved: SavedPlan): Promise<void> {
  await writeFileAtomically(path, `${JSON.stringify(saved, null, 2)}\n`, { durable: false });
}

/** Whether a path names a saved plan rather than an ecosystem file: a JSON file whose `kind` says so. */
export async function readSavedPlanIfAny(path: string): Promise<unknown | undefined> {
  if (!path.endsWith('.json')) return undefined;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  // A quick look first: an ecosystem file in JSON is parsed by the config layer, with positions.
  if (!text.includes(`"${KIND}"`)) return undefined;
  try {
    const data = JSON.parse(text) as { kind?: unknown };
    return data?.kind === KIND ? data : undefined;
  } catch {
    throw new TendError('CONFIG_SYNTAX', `${path}: a saved plan that is not valid JSON (damaged?); make a new plan`);
  }
}

/** A saved plan checked field by field: damaged, from another version of its format, or for another home, refused. */
export function checkSavedPlan(path: string, data: unknown, home: string): SavedPlan {
  const bad = (why: string) => new TendError('CONFIG_INVALID', `${path}: ${why}; nothing was changed`);
  const plan = data as Partial<SavedPlan>;
  if (plan.version !== VERSION)
    throw bad(`a saved plan of format ${String(plan.version)}, this tend (${tendVersion()}) reads format ${VERSION}`);
  const isString = (v: unknown) => typeof v === 'string' && v !== '';
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  const fieldsOk =
    isString(plan.home) &&
    isString(plan.file) &&
    isString(plan.desired) &&
    isObject(plan.load) &&
    isObject(plan.options) &&
    isObject(plan.gates) &&
    isObject(plan.observed) &&
    Object.values(plan.observed as object).every(isString);
  if (!fieldsOk) throw bad('a damaged saved plan (a field is missing or of the wrong type)');
  if (plan.home !== home)
    throw bad(`a plan made for another home (${plan.home}); this is ${home}: make the plan with the same TEND_HOME`);
  return plan as SavedPlan;
}
