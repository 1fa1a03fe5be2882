import { constants } from 'node:os';
import { nameProblem } from '../config/app-name.js';

/**
 * Small checks of untrusted data (a request's params, a state file read back) that answer with a
 * message naming the path, the value given and what was expected, instead of throwing.
 */
export type Check = (value: unknown, path: string) => string | undefined;

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
}

/** A check from a predicate and the words for what it accepts. */
export const expect =
  (what: string, ok: (value: unknown) => boolean): Check =>
  (value, path) =>
    ok(value) ? undefined : `${path}: expected ${what}; got ${describe(value)}`;

export const str = expect('a string', (v) => typeof v === 'string');
export const bool = expect('true or false', (v) => typeof v === 'boolean');
export const count = expect('a whole number ≥ 0', (v) => Number.isSafeInteger(v) && (v as number) >= 0);
export const int = expect('a whole number', (v) => Number.isSafeInteger(v));
export const ms = expect('a number of milliseconds ≥ 0', (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0);
export const signal = expect(
  'a signal name such as "SIGTERM"',
  (v) => typeof v === 'string' && Object.hasOwn(constants.signals, v),
);
/** A string that can name an app: it names the app's log files, so it must not leave the folder. */
export const appName: Check = (value, path) =>
  str(value, path) ?? (nameProblem(value as string) ? `${path}: ${nameProblem(value as string)}` : undefined);

/** Exactly one of these values. */
export function oneOf(...values: readonly unknown[]): Check {
  return expect(values.map((v) => JSON.stringify(v)).join(' or '), (v) => values.includes(v));
}

/** null, or what `check` accepts. */
export function nullable(check: Check): Check {
  return (value, path) => (value === null ? undefined : check(value, path));
}

/** Absent, or what `check` accepts. */
export function optional(check: Check): Check {
  return (value, path) => (value === undefined ? undefined : check(value, path));
}

/** A list whose every item passes `check`. */
export function listOf(check: Check): Check {
  return (value, path) => {
    if (!Array.isArray(value)) return `${path}: expected a list; got ${describe(value)}`;
    for (let i = 0; i < value.length; i++) {
      const problem = check(value[i], `${path}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object whose every value passes `check`. */
export function mapOf(check: Check): Check {
  return (value, path) => {
    if (!isObject(value)) return `${path}: expected an object; got ${describe(value)}`;
    for (const [key, item] of Object.entries(value)) {
      const problem = check(item, `${path}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  };
}

/** An object whose named fields pass their checks; other fields are not looked at. */
export function shape(fields: Record<string, Check>): Check {
  return (value, path) => {
    if (!isObject(value)) return `${path}: expected an object; got ${describe(value)}`;
    for (const [key, check] of Object.entries(fields)) {
      const problem = check(Object.hasOwn(value, key) ? value[key] : undefined, `${path}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  };
}
