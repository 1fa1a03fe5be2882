import { describeValue } from './describe-value.js';
import type { Report } from './report.js';

/**
 * PM2's `--env <name>` also takes the file's `deploy.<name>.env`, under each app's `env` (pm2.md §2: `deploy[name].env`
 * < `app.env` < `app.env_<name>`). Undefined when there is no such section; a section that is not a mapping is a problem.
 */
export function deployEnvOf(
  data: unknown,
  envName: string | undefined,
  report: Report,
): Record<string, unknown> | undefined {
  if (envName === undefined || data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const deploy = (data as Record<string, unknown>).deploy;
  if (deploy === null || typeof deploy !== 'object' || Array.isArray(deploy)) return undefined;
  const target = (deploy as Record<string, unknown>)[envName];
  if (target === null || typeof target !== 'object' || Array.isArray(target)) return undefined;
  const env = (target as Record<string, unknown>).env;
  if (env === undefined) return undefined;
  if (env === null || typeof env !== 'object' || Array.isArray(env)) {
    report.problem(
      ['deploy', envName, 'env'],
      `expected a mapping of variable names to values; got ${describeValue(env)}`,
    );
    return undefined;
  }
  return env as Record<string, unknown>;
}
