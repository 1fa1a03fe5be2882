import type { CheckView, ProcessDetails } from '../../api/methods.js';
import { withDaemon } from '../context.js';
import { toSingleTarget } from '../selectors.js';
import { formatBytes, formatDuration, paint, statusStyle, terminalSafe, useColor } from '../output.js';
import { describeMetrics } from '../../probe/describe-metrics.js';

/** `tend show api`: one block per instance with paths, policies and env (with where each var came from). */
/** Who applied the app: what `apply --prune` and `--take-over` go by, and where its desired state came from. */
function ownerRows(owner: ProcessDetails['owner']): Array<[string, string]> {
  if (!owner) return [['owner', '- (applied before tend recorded owners)']];
  const rows: Array<[string, string]> = [['owner', owner.key]];
  if (owner.file) rows.push(['owner file', `${owner.file}${owner.hash ? ` (sha256 ${owner.hash.slice(0, 12)})` : ''}`]);
  if (owner.git)
    rows.push([
      'owner commit',
      `${owner.git.commit.slice(0, 12)}${owner.git.branch ? ` on ${owner.git.branch}` : ''}${owner.git.remote ? ` (${owner.git.remote})` : ''}${owner.git.dirty ? ', uncommitted changes' : ''}`,
    ]);
  rows.push(['applied', `${new Date(owner.at).toISOString()} by ${owner.user}`]);
  return rows;
}

export async function showCommand(target: string, options: { json?: boolean; showSecrets?: boolean }): Promise<number> {
  const one = await toSingleTarget(target);
  const details = await withDaemon((client) =>
    client.call('show', { ...one, showSecrets: options.showSecrets === true }),
  );
  if (options.json) {
    process.stdout.write(`${JSON.stringify(details, null, 2)}\n`);
    return 0;
  }
  const color = useColor();
  process.stdout.write(`${details.map((d) => renderDetails(d, color)).join('\n\n')}\n`);
  return 0;
}

/** `cron_restart`'s next run: the time, and how far off it is. */
function nextCronRun(at: number | null): string {
  if (at === null) return '- (the pattern matches no future date)';
  return `${new Date(at).toISOString()} (in ${formatDuration(Math.max(0, at - Date.now()))})`;
}

/** The `ready:` and `health:` checks' last results, and what the last health restart was for. */
function renderChecks(d: ProcessDetails, color: boolean): string[] {
  const checks = d.checks;
  if (!checks || (checks.readiness === null && checks.liveness === null)) return [];
  const lines = [paint('checks', 'bold', color)];
  const row = (name: string, check: CheckView | null, state: string): void => {
    if (check === null) return;
    const last = check.last;
    const result = last === null ? 'not run yet' : paint(last.ok ? 'pass' : 'fail', last.ok ? 'green' : 'red', color);
    const when = last === null ? '' : `  ${new Date(last.at).toISOString()}  ${last.message}`;
    lines.push(`  ${name.padEnd(9)}  ${check.kind.padEnd(4)}  ${state.padEnd(8)}  ${result}${when}`);
  };
  row('readiness', checks.readiness, d.ready ? 'ready' : 'starting');
  row('liveness', checks.liveness, d.health ?? 'unknown');
  if (checks.health_restart) lines.push(`  last health restart: ${checks.health_restart}`);
  return lines;
}

function renderDetails(d: ProcessDetails, color: boolean): string {
  const rows: Array<[string, string]> = [
    ['status', paint(d.status, statusStyle(d.status), color)],
    ['name', d.name],
    ['id', String(d.id)],
    ['instance', String(d.instance)],
    ['namespace', d.namespace],
    ['version', d.version ?? '-'],
    ['pid', d.pid === null ? '-' : String(d.pid)],
    ['mode', d.mode],
    ['restarts', String(d.restarts)],
    ['unstable restarts', String(d.unstable_restarts)],
    ['last restart reason', d.restart_reason ?? '-'],
    ...(d.next_cron_at !== undefined ? [['next cron run', nextCronRun(d.next_cron_at)] as [string, string]] : []),
    ['uptime', d.status === 'online' ? formatDuration(d.uptime_ms) : '-'],
    ['created at', new Date(d.created_at).toISOString()],
    ['status since', new Date(d.status_since).toISOString()],
    ['last exit', d.exit_code === null && d.exit_signal === null ? '-' : (d.exit_signal ?? `code ${d.exit_code}`)],
    ['error', d.error ?? '-'],
    ['cpu', `${Math.round(d.cpu)}%`],
    ['memory', formatBytes(d.memory)],
    ['script', d.script],
    ['args', d.args.length ? JSON.stringify(d.args) : '-'],
    ['interpreter', d.interpreter ?? '(runs directly)'],
    ['interpreter args', d.interpreter_args.length ? JSON.stringify(d.interpreter_args) : '-'],
    ['cwd', d.cwd],
    ...(d.listen ? [['listen', d.listen.map((a, i) => `${a} (fd ${3 + i})`).join(', ')] as [string, string]] : []),
    ['out log', d.pm_out_log_path ?? '(discarded)'],
    ['err log', d.pm_err_log_path ?? '(discarded)'],
    ['log trouble', d.log_problem ? paint(d.log_problem, 'red', color) : '-'],
    ['watch', d.watch ? 'on' : 'off'],
    ['ecosystem file', d.origin ? `${d.origin.file} (app ${d.origin.index})` : '-'],
    ['git', d.git ? `${d.git.branch ?? '?'} @ ${d.git.revision?.slice(0, 12) ?? '?'}` : '-'],
    ...ownerRows(d.owner),
  ];
  for (const [key, value] of Object.entries(d.policy)) {
    if (key === 'logs') continue;
    rows.push([`policy ${key}`, typeof value === 'object' ? JSON.stringify(value) : String(value)]);
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [paint(`── ${d.name}[${d.instance}] (id ${d.id})`, 'bold', color)];
  for (const [k, v] of rows) lines.push(`${k.padEnd(width)}  ${v}`);
  lines.push(paint('metrics', 'bold', color));
  if (!d.metrics)
    lines.push(
      `  ${d.status === 'online' ? 'none reported (Node.js apps report every second; other programs have no probe)' : '-'}`,
    );
  const metricRows = d.metrics ? describeMetrics(d.metrics) : [];
  const metricWidth = Math.max(0, ...metricRows.map(([k]) => k.length));
  for (const [k, v] of metricRows) lines.push(`  ${k.padEnd(metricWidth)}  ${v}`);
  if (d.actions.length > 0)
    lines.push(
      `  ${'actions'.padEnd(metricWidth)}  ${d.actions.join(', ')}  ${paint('(tend trigger)', 'gray', color)}`,
    );
  lines.push(...renderChecks(d, color));
  lines.push(paint('state changes', 'bold', color));
  for (const h of d.history) lines.push(`  ${new Date(h.at).toISOString()}  ${h.status}`);
  lines.push(paint('env', 'bold', color));
  const envKeys = Object.keys(d.env).sort();
  const envWidth = Math.max(0, ...envKeys.map((k) => k.length));
  for (const key of envKeys) {
    const { value, source } = d.env[key]!;
    lines.push(`  ${key.padEnd(envWidth)}  ${value}  ${paint(`(${source})`, 'gray', color)}`);
  }
  // Each line is one line on the terminal: a newline or an escape sequence in a value (an env var, args) is shown, not
  // obeyed, so a value cannot fake a line of its own or drive the terminal.
  return lines.map((line) => terminalSafe(line, true)).join('\n');
}
