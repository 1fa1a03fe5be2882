import type { AppSpec } from '../config/types.js';
import { FIELD_RULES, type ChangeEffect } from './classify.js';
import { equalValues } from './equal.js';
import type { FieldChange } from './types.js';

/** The differences between a running spec and a desired one, grouped by what they cause. */
export interface SpecDiff {
  /** Every change, in table order (run, logs, app fields, policy). */
  all: ClassifiedChange[];
  /** Which effects at least one change has. */
  effects: Set<ChangeEffect>;
}

export interface ClassifiedChange extends FieldChange {
  effect: ChangeEffect;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Key by key, so removed keys show up as changes to `undefined` (a removed env var must leave the process).
function diffByKey(
  path: string,
  effect: ChangeEffect,
  from: Record<string, unknown>,
  to: Record<string, unknown>,
  out: ClassifiedChange[],
): void {
  for (const key of Object.keys(to)) {
    const before = Object.hasOwn(from, key) ? from[key] : undefined;
    if (!equalValues(before, to[key])) out.push({ field: `${path}.${key}`, from: before, to: to[key], effect });
  }
  for (const key of Object.keys(from)) {
    if (!Object.hasOwn(to, key)) out.push({ field: `${path}.${key}`, from: from[key], to: undefined, effect });
  }
}

/** Compares two specs of the same app field by field; fields whose change causes nothing are skipped. */
export function diffSpecs(from: AppSpec, to: AppSpec): SpecDiff {
  const all: ClassifiedChange[] = [];
  for (const rule of FIELD_RULES) {
    if (rule.effect === 'none') continue;
    const before = rule.read(from);
    const after = rule.read(to);
    if (equalValues(before, after)) continue;
    if (rule.compare === 'by-key' && isRecord(before) && isRecord(after))
      diffByKey(rule.path, rule.effect, before, after, all);
    else all.push({ field: rule.path, from: before, to: after, effect: rule.effect });
  }
  return { all, effects: new Set(all.map((change) => change.effect)) };
}
