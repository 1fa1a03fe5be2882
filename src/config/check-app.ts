import type { ErrorObject } from 'ajv';
import { describeValue } from './describe-value.js';
import { checkKeyExpected } from './health-checks.js';
import { appKeys, canonicalKey, fileKeys, keyInfo, knownKeyNames, namedEnvKey } from './keys.js';
import { parsePointer, valueAt, type PathSegment } from './key-path.js';
import type { Report } from './report.js';
import type { AppEntry } from './shape.js';
import { closestName, snakeCase } from './suggest.js';
import type { AppValidator } from './validate-types.js';

/** An app that passed validation: options under their canonical names, and how the user wrote each. */
export interface CheckedApp {
  /** Values by canonical key (`script`, not `exec`; `max_restarts`, not `maxRestarts`). */
  values: Record<string, unknown>;
  /** Canonical key → the key as written in the file, for messages that point at it. */
  written: Record<string, string>;
  /** Where the app sits in the file, e.g. `['apps', 1]`. */
  path: PathSegment[];
  /** Index of the app in the file's list. */
  index: number;
}

/**
 * Validates one app against the schema and reports every problem with its position; warns about
 * options tend accepts but does not act on. Returns undefined when the app has problems.
 * `unknownKeys: 'warn'` (`tend start`, as PM2) reports an unknown key as a warning, and the key is ignored.
 */
export function checkApp(
  entry: AppEntry,
  index: number,
  validate: AppValidator,
  report: Report,
  unknownKeys: 'error' | 'warn' = 'error',
): CheckedApp | undefined {
  const { raw, path } = entry;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    report.problem(path, `expected an app: a mapping with at least \`script\`; got ${describeValue(raw)}`);
    return undefined;
  }
  const before = report.problems.length;
  const { renamed, writtenAs } = renameCamelCase(raw as Record<string, unknown>, path, report);
  const userPath = (segments: PathSegment[]): PathSegment[] => {
    const [first, ...rest] = segments;
    if (first === undefined) return [...path];
    return [...path, typeof first === 'string' ? (writtenAs[first] ?? first) : first, ...rest];
  };

  if (!validate(renamed))
    reportSchemaErrors(
      validate.errors ?? [],
      renamed,
      userPath,
      { isTopLevel: path.length === 0, unknownKeys },
      report,
    );

  const values: Record<string, unknown> = {};
  const written: Record<string, string> = {};
  for (const [key, value] of Object.entries(renamed)) {
    const canonical = canonicalKey(key);
    if (canonical === undefined) continue;
    const asWritten = writtenAs[key] ?? key;
    if (canonical in values) {
      report.problem(
        userPath([key]),
        `\`${asWritten}\` and \`${written[canonical]}\` both set \`${canonical}\`; keep one`,
        'key',
      );
      continue;
    }
    values[canonical] = value;
    written[canonical] = asWritten;
    const info = keyInfo(canonical);
    if (info && !info.implemented) {
      report.warn(userPath([key]), `\`${asWritten}\` is accepted but not implemented yet; tend ignores it`);
    }
  }
  return report.problems.length === before ? { values, written, path, index } : undefined;
}

/** PM2 accepts `maxMemoryRestart` for `max_memory_restart`; so does tend. */
function renameCamelCase(raw: Record<string, unknown>, path: PathSegment[], report: Report) {
  const renamed: Record<string, unknown> = {};
  const writtenAs: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    // Most keys are written as tend names them: no snake_case to work out for those.
    const snake = canonicalKey(key) !== undefined ? key : snakeCase(key);
    if (snake === key || canonicalKey(snake) === undefined || namedEnvKey.test(snake)) {
      renamed[key] = value;
      continue;
    }
    if (snake in raw) {
      report.problem([...path, key], `\`${key}\` and \`${snake}\` are the same option; keep one`, 'key');
      continue;
    }
    renamed[snake] = value;
    writtenAs[snake] = key;
  }
  return { renamed, writtenAs };
}

function reportSchemaErrors(
  errors: ErrorObject[],
  app: Record<string, unknown>,
  userPath: (segments: PathSegment[]) => PathSegment[],
  how: { isTopLevel: boolean; unknownKeys: 'error' | 'warn' },
  report: Report,
): void {
  const reported = new Set<string>();
  for (const error of errors) {
    const segments = parsePointer(error.instancePath, app);
    if (error.keyword === 'additionalProperties') {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const message =
        segments[0] === 'depends_on'
          ? `unknown key \`${key}\` in a depends_on entry (expected \`condition\` or \`restart\`)`
          : unknownKeyMessage(key, how.isTopLevel);
      if (how.unknownKeys === 'warn') report.warn(userPath([...segments, key]), `${message}; ignored, as PM2 does`);
      else report.problem(userPath([...segments, key]), message, 'key');
      continue;
    }
    if (error.keyword === 'required' && error.schemaPath.includes('/anyOf/')) continue;
    if (error.keyword === 'anyOf' && segments.length === 0) {
      report.problem(userPath([]), 'missing `script`: the program this app runs');
      continue;
    }
    if (reported.has(error.instancePath)) continue;
    reported.add(error.instancePath);
    const got = describeValue(valueAt(app, segments));
    report.problem(userPath(segments), `expected ${expectedAt(segments)}; got ${got}`);
  }
}

function unknownKeyMessage(key: string, isTopLevel: boolean): string {
  const candidates = isTopLevel ? [...knownKeyNames(), ...fileKeys] : knownKeyNames();
  const guess = closestName(key, candidates);
  return guess ? `unknown key \`${key}\`; did you mean \`${guess}\`?` : `unknown key \`${key}\``;
}

/** The words for what is allowed at a path inside an app. */
function expectedAt(segments: PathSegment[]): string {
  const [first] = segments;
  if (typeof first !== 'string') return 'an app: a mapping with at least `script`';
  const info = keyInfo(first);
  if (!info) return 'a known option';
  if ((first === 'ready' || first === 'health') && segments.length > 1) return checkKeyExpected(segments);
  const isEnv = first === 'env' || namedEnvKey.test(first);
  if (isEnv && segments.length > 1) return 'a string, number, boolean or nested data';
  if (segments.length > 1 && info === appKeys.stop_exit_codes) return 'an exit code from 0 to 255';
  if (info === appKeys.depends_on && segments.length > 2)
    return segments[2] === 'condition' ? '"started", "ready" or "healthy"' : 'true or false';
  if (info === appKeys.depends_on && typeof segments[1] === 'string') return 'a mapping with `condition` or `restart`';
  if (segments.length > 1) return `each item to be a string (${first}: ${info.expected})`;
  return info.expected;
}
