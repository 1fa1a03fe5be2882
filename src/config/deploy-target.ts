import type { ErrorObject } from 'ajv';
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { defaults } from '../core/defaults.js';
import { describeValue } from './describe-value.js';
import { parsePointer, type PathSegment, valueAt } from './key-path.js';
import type { Report } from './report.js';
import { closestName } from './suggest.js';
import type { AppValidator } from './validate-types.js';

/** The hooks of a deployment target, by their names in the file (PM2's). */
export const deployHooks = ['pre-setup', 'post-setup', 'pre-deploy-local', 'pre-deploy', 'post-deploy'] as const;
export type DeployHook = (typeof deployHooks)[number];

/** One `deploy.<name>` section, checked and with its defaults: what `tend deploy FILE NAME` acts on. */
export interface DeployTarget {
  name: string;
  /** Each host as written (`web1`, `deploy@web2`, `web3:2222`), deployed in parallel. */
  hosts: string[];
  user?: string;
  port?: number;
  /** The git ref the hosts' clone deploys (`origin/main`). */
  ref: string;
  repo: string;
  /** The folder on each host; may start with `~/`. */
  path: string;
  /** The private key, as a local absolute path. */
  key?: string;
  sshOptions: string[];
  /** Variables for every hook, as strings. */
  env: Record<string, string>;
  keep: number;
  hooks: Partial<Record<DeployHook, string>>;
}

const expected: Record<string, string> = {
  user: 'a user name',
  host: 'a host name (`web1`, `deploy@web1`, `web1:2222`) or a list of them',
  port: 'a port number from 1 to 65535',
  ref: 'a git ref such as `origin/main` (no spaces, not starting with `-`)',
  repo: 'a git repository URL or path (not starting with `-`)',
  path: "an absolute folder on the host (`/var/www/app`, or `~/app` in the ssh user's home)",
  key: 'the path of a private key file',
  ssh_options: 'an ssh option (`StrictHostKeyChecking=no`) or a list of them',
  env: 'a mapping of variable names to values',
  keep: 'a whole number of releases, 1 or more',
};

/** The names a `deploy.<name>` section may hold, for "did you mean". */
const knownKeys = [...Object.keys(expected), ...deployHooks];

/**
 * Checks every `deploy.<name>` section of a file against the schema and reports each problem at its key or value;
 * returns the targets that passed, by name. Without a `deploy` section, an empty map.
 */
export function checkDeploySection(
  data: unknown,
  validate: AppValidator,
  report: Report,
  baseDir: string,
): Map<string, DeployTarget> {
  const targets = new Map<string, DeployTarget>();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return targets;
  const section = (data as Record<string, unknown>).deploy;
  if (section === undefined) return targets;
  if (section === null || typeof section !== 'object' || Array.isArray(section)) {
    report.problem(['deploy'], `expected a mapping of target names to targets; got ${describeValue(section)}`);
    return targets;
  }
  for (const [name, raw] of Object.entries(section)) {
    const path: PathSegment[] = ['deploy', name];
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      report.problem(
        path,
        `expected a deployment target: a mapping with \`host\`, \`repo\` and \`path\`; got ${describeValue(raw)}`,
      );
      continue;
    }
    if (!validate(raw)) {
      reportDeployErrors(validate.errors ?? [], raw as Record<string, unknown>, path, report);
      continue;
    }
    targets.set(name, toTarget(name, raw as Record<string, unknown>, baseDir));
  }
  return targets;
}

function reportDeployErrors(
  errors: ErrorObject[],
  raw: Record<string, unknown>,
  path: PathSegment[],
  report: Report,
): void {
  const reported = new Set<string>();
  for (const error of errors) {
    const segments = parsePointer(error.instancePath, raw);
    if (error.keyword === 'additionalProperties') {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const guess = closestName(key, knownKeys);
      report.problem(
        [...path, key],
        `unknown key \`${key}\` in a deployment target${guess ? `; did you mean \`${guess}\`?` : ''}`,
        'key',
      );
      continue;
    }
    if (error.keyword === 'required') {
      const key = String((error.params as { missingProperty: string }).missingProperty);
      report.problem(path, `missing \`${key}\`: ${expected[key] ?? 'required'}`);
      continue;
    }
    const first = segments[0];
    const where = first === undefined ? '' : String(first);
    if (reported.has(where)) continue;
    reported.add(where);
    const what =
      typeof first === 'string' && (deployHooks as readonly string[]).includes(first)
        ? 'a shell command (a string)'
        : (expected[where] ?? 'something else');
    report.problem(
      [...path, ...segments.slice(0, first === 'env' ? 2 : 1)],
      `expected ${what}; got ${describeValue(valueAt(raw, segments))}`,
    );
  }
}

function toTarget(name: string, raw: Record<string, unknown>, baseDir: string): DeployTarget {
  const hooks: Partial<Record<DeployHook, string>> = {};
  for (const hook of deployHooks) if (typeof raw[hook] === 'string') hooks[hook] = raw[hook] as string;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries((raw.env as Record<string, unknown> | undefined) ?? {}))
    env[key] = value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  const options = raw.ssh_options;
  return {
    name,
    hosts: Array.isArray(raw.host) ? (raw.host as string[]) : [raw.host as string],
    ...(raw.user === undefined ? {} : { user: raw.user as string }),
    ...(raw.port === undefined ? {} : { port: Number(raw.port) }),
    ref: (raw.ref as string | undefined) ?? defaults.deployRef,
    repo: raw.repo as string,
    path: raw.path as string,
    ...(raw.key === undefined ? {} : { key: localPath(raw.key as string, baseDir) }),
    sshOptions: options === undefined ? [] : Array.isArray(options) ? (options as string[]) : [options as string],
    env,
    keep: raw.keep === undefined ? defaults.deployKeep : Number(raw.keep),
    hooks,
  };
}

/** A key file named in the file: `~/` is this user's home, a relative path is relative to the file's folder. */
function localPath(file: string, baseDir: string): string {
  if (file === '~' || file.startsWith('~/')) return resolve(homedir(), file.slice(2));
  return isAbsolute(file) ? file : resolve(baseDir, file);
}
