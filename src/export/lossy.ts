import { join } from 'node:path';
import { defaults } from '../core/defaults.js';
import type { AppSpec } from '../config/types.js';
import type { LossyField } from './types.js';

/** Collects the keys a target cannot carry, in the order they were found. */
export class LossyReport {
  readonly fields: LossyField[] = [];

  add(app: AppSpec, key: string, reason: string): void {
    this.fields.push({ app: app.name, key, reason });
  }
}

/** What a target can do about the keys every target is judged on; the reason is the target's own wording. */
export interface TargetCapabilities {
  /** The engine's name in messages ("Kubernetes"). */
  engine: string;
  /** Where the app's output goes in that engine (`kubectl logs`, the journal). */
  logsGoTo: string;
  /** Whether it keeps an instance index per replica (systemd templates do, as `%i`). */
  instanceIndex: boolean;
  /** What it does instead of tend's `max_restarts` runs shorter than `min_uptime` → errored. */
  restartLimit: string;
}

/**
 * The keys no target carries as tend does: file watching, exponential backoff, tend's log handling, PM2's restart
 * counting, readiness by message. Each target adds its own (signals, delays, checks) after these.
 */
export function commonLossy(app: AppSpec, home: string, target: TargetCapabilities, report: LossyReport): void {
  const { policy, logs, run } = app;
  if (policy.watch) report.add(app, 'watch', `${target.engine} does not restart on file changes; redeploy instead`);
  if (policy.expBackoffRestartDelayMs !== null)
    report.add(app, 'exp_backoff_restart_delay', `${target.engine} restarts with its own delay, not tend's backoff`);
  // Reported when written, not for the defaults: without them only the engine's bookkeeping differs, not the app.
  if (policy.maxRestarts !== defaults.maxRestarts || policy.minUptimeMs !== defaults.minUptimeMs)
    report.add(app, 'max_restarts', target.restartLimit);
  if (policy.waitReady)
    report.add(app, 'wait_ready', `${target.engine} does not read process.send('ready'); use a \`ready:\` check`);
  if (policy.shutdownWithMessage)
    report.add(app, 'shutdown_with_message', `${target.engine} stops the app with a signal, not an IPC message`);
  if (logs.rotate) report.add(app, 'log_rotate', `output goes to ${target.logsGoTo}, which rotates it itself`);
  if (logs.dateFormat !== undefined)
    report.add(app, 'log_date_format', `output goes to ${target.logsGoTo}, which stamps lines itself`);
  if (logs.json) report.add(app, 'log_type', `output goes to ${target.logsGoTo} as the app writes it, not as JSON`);
  if (logs.combined !== undefined) report.add(app, 'log_file', `output goes to ${target.logsGoTo}`);
  if (logs.out !== null && logs.out !== join(home, 'logs', `${app.name}-out.log`))
    report.add(app, 'out_file', `output goes to ${target.logsGoTo}`);
  if (logs.err !== null && logs.err !== join(home, 'logs', `${app.name}-err.log`))
    report.add(app, 'error_file', `output goes to ${target.logsGoTo}`);
  if (run.pidFile !== undefined)
    report.add(app, 'pid_file', `${target.engine} keeps the pid itself; no file is written`);
  if (run.listen !== undefined)
    report.add(
      app,
      'listen',
      `${target.engine} does not hand the app a socket it holds (fd 3, LISTEN_FDS); the app must listen on its own`,
    );
  if (app.instances > 1 && run.execMode === 'cluster')
    report.add(
      app,
      'exec_mode',
      `cluster mode's shared port: ${target.engine} runs ${app.instances} separate processes, each listening on its own`,
    );
  if (run.incrementVar !== null && app.instances > 1)
    report.add(app, 'increment_var', `every instance gets the same ${run.incrementVar}`);
  if (app.instances > 1 && !target.instanceIndex)
    report.add(app, 'instance_var', `replicas are alike: ${run.instanceVar} is not set per instance`);
  for (const [kind, check] of [
    ['ready', policy.ready],
    ['health', policy.health],
  ] as const)
    if (check?.probe.kind === 'log')
      report.add(app, `${kind}.log`, `${target.engine} cannot check the output; the check is left out`);
}

/** The lossy report for stderr: one line per field. */
export function formatLossyLines(fields: readonly LossyField[]): string[] {
  return fields.map((field) => `${field.app}: ${field.key}: ${field.reason}`);
}

/** The lossy fields of one app as comment lines (`# …`) for the top of its part of the output. */
export function lossyComment(app: string, fields: readonly LossyField[]): string[] {
  const own = fields.filter((field) => field.app === app);
  if (own.length === 0) return [];
  return [`not carried over from ${app}:`, ...own.map((field) => `  ${field.key}: ${field.reason}`)];
}
