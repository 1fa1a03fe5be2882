import { defaults } from '../core/defaults.js';
import type { CheckProbe, LivenessSpec, ReadinessSpec } from './check-types.js';
import { describeValue } from './describe-value.js';
import type { PathSegment } from './key-path.js';
import type { Report } from './report.js';
import { parseDuration, parseWhole } from './units.js';

/** The kinds a check can be, one of which each `ready:` or `health:` names. */
export const CHECK_KINDS = ['http', 'tcp', 'exec', 'log'] as const;

/** What a valid value is at a key inside `ready:` or `health:`, for schema errors (`ready.http.port`). */
export function checkKeyExpected(segments: readonly PathSegment[]): string {
  const [, second, third] = segments;
  if (second === 'http' && third === 'port') return 'a port number from 1 to 65535';
  if (second === 'http' && third === 'path') return 'a path such as "/health"';
  if (second === 'http' && third === 'status') return 'an HTTP status such as 200, or a list of them';
  if (second === 'http') return 'a mapping with `port`, and optionally `path` and `status`';
  if (second === 'tcp') return 'a port number from 1 to 65535';
  if (second === 'exec') return 'a command, such as "pg_isready -h 127.0.0.1"';
  if (second === 'log') return 'a regular expression a line of the output must match';
  if (second === 'interval' || second === 'timeout' || second === 'start_period')
    return 'a duration: milliseconds, or a string such as "500ms", "10s", "5m" or "1h"';
  if (second === 'threshold' || second === 'failures') return 'a whole number ≥ 1';
  return `a mapping with one of ${CHECK_KINDS.join(', ')}`;
}

/** Where the check's keys are and what the app around it says (its `port`, for an http or tcp check without one). */
interface CheckContext {
  at: PathSegment[];
  report: Report;
  appPort: unknown;
}

/**
 * `ready:` of one app, checked: one kind, a port that is a port, a pattern that compiles, a threshold ≥ 1. Problems go
 * to the report at their key (`ready.http.port`); undefined when there is none or it has problems.
 */
export function readinessOf(value: unknown, ctx: CheckContext): ReadinessSpec | undefined {
  if (value === undefined || value === null) return undefined;
  const raw = value as Record<string, unknown>;
  const probe = probeOf(raw, ctx);
  const threshold = countOf(raw.threshold, defaults.readyThreshold, [...ctx.at, 'threshold'], ctx.report);
  if (probe === undefined || threshold === undefined) return undefined;
  return {
    probe,
    intervalMs: durationOf(raw.interval, defaults.readyIntervalMs),
    timeoutMs: durationOf(raw.timeout, defaults.checkTimeoutMs),
    threshold,
  };
}

/** `health:` of one app, checked as `ready:` is, with `failures` ≥ 1 and `start_period`. */
export function livenessOf(value: unknown, ctx: CheckContext): LivenessSpec | undefined {
  if (value === undefined || value === null) return undefined;
  const raw = value as Record<string, unknown>;
  const probe = probeOf(raw, ctx);
  const failures = countOf(raw.failures, defaults.healthFailures, [...ctx.at, 'failures'], ctx.report);
  if (probe === undefined || failures === undefined) return undefined;
  return {
    probe,
    intervalMs: durationOf(raw.interval, defaults.healthIntervalMs),
    timeoutMs: durationOf(raw.timeout, defaults.checkTimeoutMs),
    failures,
    startPeriodMs: durationOf(raw.start_period, defaults.healthStartPeriodMs),
  };
}

function probeOf(raw: Record<string, unknown>, ctx: CheckContext): CheckProbe | undefined {
  const kinds = CHECK_KINDS.filter((kind) => raw[kind] !== undefined);
  if (kinds.length !== 1) {
    const what = kinds.length === 0 ? 'none is given' : `${kinds.map((k) => `\`${k}\``).join(' and ')} are both given`;
    ctx.report.problem(
      kinds.length === 0 ? ctx.at : [...ctx.at, kinds[1]!],
      `a check has exactly one of ${CHECK_KINDS.join(', ')}; ${what}`,
      'key',
    );
    return undefined;
  }
  const kind = kinds[0]!;
  const at = [...ctx.at, kind];
  const given = raw[kind];
  switch (kind) {
    case 'http': {
      const http = given as Record<string, unknown>;
      const port = portOf(http.port, ctx.appPort, [...at, 'port'], ctx.report);
      const path = typeof http.path === 'string' ? http.path : '/';
      if (!path.startsWith('/')) {
        ctx.report.problem([...at, 'path'], `expected a path that starts with "/"; got ${describeValue(path)}`);
        return undefined;
      }
      const status = statusesOf(http.status, [...at, 'status'], ctx.report);
      if (port === undefined || status === undefined) return undefined;
      return { kind, port, path, status };
    }
    case 'tcp': {
      const port = portOf(given, ctx.appPort, at, ctx.report);
      return port === undefined ? undefined : { kind, port };
    }
    case 'exec': {
      const command = String(given).trim();
      if (command === '') {
        ctx.report.problem(at, 'expected a command to run; got an empty string');
        return undefined;
      }
      return { kind, command };
    }
    case 'log': {
      const pattern = String(given);
      try {
        new RegExp(pattern);
      } catch (err) {
        ctx.report.problem(at, `not a regular expression: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      }
      return { kind, pattern };
    }
  }
}

/** A port from 1 to 65535; `tcp: true` or an http check without `port` takes the app's `port`. */
function portOf(value: unknown, appPort: unknown, at: PathSegment[], report: Report): number | undefined {
  const given = value === undefined || value === true ? appPort : value;
  if (given === undefined) {
    report.problem(at, 'expected a port number from 1 to 65535; the check names none and the app has no `port`');
    return undefined;
  }
  const port = parseWhole(given);
  if (port === undefined || port < 1 || port > 65535) {
    report.problem(at, `expected a port number from 1 to 65535; got ${describeValue(given)}`);
    return undefined;
  }
  return port;
}

function statusesOf(value: unknown, at: PathSegment[], report: Report): number[] | undefined {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  const statuses: number[] = [];
  for (const item of list) {
    const status = parseWhole(item);
    if (status === undefined || status < 100 || status > 599) {
      report.problem(at, `expected an HTTP status from 100 to 599, or a list of them; got ${describeValue(item)}`);
      return undefined;
    }
    statuses.push(status);
  }
  return statuses;
}

function countOf(value: unknown, fallback: number, at: PathSegment[], report: Report): number | undefined {
  if (value === undefined) return fallback;
  const count = parseWhole(value);
  if (count === undefined || count < 1) {
    report.problem(at, `expected a whole number ≥ 1; got ${describeValue(value)}`);
    return undefined;
  }
  return count;
}

// The schema already refused anything that is not a duration.
function durationOf(value: unknown, fallback: number): number {
  return parseDuration(value) ?? fallback;
}
