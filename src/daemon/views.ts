import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { formatListenAddress } from '../config/listen.js';
import { userInfo } from 'node:os';
import type { CheckView, ProcessDetails, ProcessView } from '../api/methods.js';
import type { CheckRecord } from '../supervisor/check-policy.js';
import type { ManagedProcess } from './managed-process.js';
import { lookupUser } from '../config/users.js';
import { moduleOf } from '../config/module-env.js';
import { logPathsFor, pidFileFor } from '../runtime/log-paths.js';

// One rule for every listing that shows env values (`show`, `jlist`, `prettylist`): src/api/secrets.ts.
export { maskSecret } from '../api/secrets.js';
import { maskSecret } from '../api/secrets.js';

const versionCache = new Map<string, string | null>();
const user = userInfo().username;

/** The app's version from the nearest package.json above its cwd, as PM2 shows it. */
export function appVersion(cwd: string): string | null {
  const cached = versionCache.get(cwd);
  if (cached !== undefined) return cached;
  let version: string | null = null;
  for (let dir = cwd; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: unknown };
      version = typeof pkg.version === 'string' ? pkg.version : null;
      break;
    } catch {
      if (dirname(dir) === dir) break;
    }
  }
  versionCache.set(cwd, version);
  return version;
}

/** The user the process runs as: the daemon's, or its `uid`'s name. */
export function runsAs(p: ManagedProcess): string {
  const uid = p.spec.run.uid;
  return uid === undefined ? user : (lookupUser(String(uid))?.name ?? String(uid));
}

/** The row of `tend ls` for one process. */
export function viewOf(p: ManagedProcess, now: number, metrics: Record<string, number> | null = null): ProcessView {
  const ctx = p.context;
  const spec = p.spec;
  const logs = p.logPaths;
  return {
    id: p.id,
    name: spec.name,
    namespace: spec.namespace,
    instance: p.instance,
    mode: spec.run.execMode,
    pid: p.pid,
    status: p.status,
    restarts: ctx.restarts,
    unstable_restarts: ctx.unstableRestarts,
    uptime_ms: p.status === 'online' && ctx.onlineSince !== null ? Math.max(0, now - ctx.onlineSince) : 0,
    cpu: p.usage?.cpu ?? 0,
    memory: p.usage?.rss ?? 0,
    exit_code: ctx.lastExitCode ?? null,
    exit_signal: ctx.lastSignal ?? null,
    restart_reason: ctx.lastRestartReason ?? null,
    error: ctx.errorMessage ?? null,
    log_problem: p.logProblem?.message ?? (p.logNote !== null && p.logNote.until > now ? p.logNote.message : null),
    ready: spec.policy.ready === undefined ? null : p.readyAt !== null,
    health: spec.policy.health === undefined ? null : p.liveness,
    created_at: ctx.createdAt,
    status_since: ctx.stateSince,
    next_restart_at: ctx.nextRestartAt ?? null,
    pm_out_log_path: logs.out,
    pm_err_log_path: logs.err,
    pm_log_path: logPathsFor(spec, p.instance).log ?? null,
    pm_pid_path: pidFileFor(spec, p.instance),
    ...(spec.run.listen ? { listen: spec.run.listen.map(formatListenAddress) } : {}),
    script: spec.run.script,
    args: spec.run.args,
    interpreter: spec.run.interpreter,
    interpreter_args: spec.run.interpreterArgs,
    cwd: spec.run.cwd,
    user: runsAs(p),
    version: appVersion(spec.run.cwd),
    watch: spec.policy.watch !== null,
    module: moduleOf(spec),
    metrics,
  };
}

/** Everything `tend show` prints, secrets masked. */
export function detailsOf(
  p: ManagedProcess,
  now: number,
  probe: { metrics: Record<string, number> | null; actions: string[] } = { metrics: null, actions: [] },
  showSecrets = false,
): ProcessDetails {
  const env: ProcessDetails['env'] = {};
  for (const [key, value] of Object.entries(p.spec.run.env)) {
    env[key] = { value: showSecrets ? value : maskSecret(key, value), source: p.spec.envSources[key] ?? 'env' };
  }
  return {
    ...viewOf(p, now, probe.metrics),
    env,
    policy: { ...p.spec.policy, instances: p.spec.instances, logs: p.spec.logs },
    origin: p.spec.origin,
    git: gitInfo(p.spec.run.cwd),
    history: [...p.history],
    actions: probe.actions,
    checks: {
      readiness: checkView(p.spec.policy.ready?.probe.kind, p.checks?.readiness),
      liveness: checkView(p.spec.policy.health?.probe.kind, p.checks?.liveness),
      health_restart: p.context.healthFailure,
    },
  };
}

/** A check as `show` prints it: its kind and last result; null when the app has no such check. */
function checkView(kind: CheckView['kind'] | undefined, record: CheckRecord | null | undefined): CheckView | null {
  if (kind === undefined) return null;
  return { kind, last: record?.kind === kind && record.last ? { ...record.last } : null };
}

function gitInfo(cwd: string): ProcessDetails['git'] {
  const git = (args: string[]): string | null => {
    try {
      return execFileSync('git', args, {
        cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 1000,
      }).trim();
    } catch {
      return null;
    }
  };
  const revision = git(['rev-parse', 'HEAD']);
  if (revision === null) return null;
  return { revision, branch: git(['rev-parse', '--abbrev-ref', 'HEAD']) };
}
