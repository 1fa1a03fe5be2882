import type { FieldChange } from './types.js';

/** Values longer than this are cut, so one line per app stays readable. */
export const MAX_VALUE_CHARS = 40;

const SECRET_NAME = /KEY|SECRET|TOKEN|PASSWORD/i;

/** Env var names that look like credentials: their values never reach a terminal or a log. */
export function isSecretField(field: string): boolean {
  return field.startsWith('run.env.') && SECRET_NAME.test(field.slice('run.env.'.length));
}

/** Renders one value compactly: JSON for strings, arrays and objects, `(unset)` for a missing key. */
export function formatPlanValue(value: unknown, options: { truncate?: boolean } = {}): string {
  if (value === undefined) return '(unset)';
  const text = typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  if (options.truncate === false || text.length <= MAX_VALUE_CHARS) return text;
  return `${text.slice(0, MAX_VALUE_CHARS - 1)}…`;
}

/** One change as `field old → new`, with credentials masked; used by plan reasons and by formatPlan. */
export function describeChange(change: FieldChange, options: { truncate?: boolean } = {}): string {
  const secret = isSecretField(change.field);
  const show = (value: unknown): string => (secret && value !== undefined ? '***' : formatPlanValue(value, options));
  return `${change.field} ${show(change.from)} → ${show(change.to)}`;
}

/** A list of changes on one line. */
export function describeChanges(changes: readonly FieldChange[], options: { truncate?: boolean } = {}): string {
  return changes.map((change) => describeChange(change, options)).join(', ');
}
