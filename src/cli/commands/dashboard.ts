import { defaults } from '../../core/defaults.js';
import { TendError } from '../../core/errors.js';
import { isLoopbackHost } from '../../dashboard/auth.js';
import { forgetDashboard } from '../../dashboard/remembered.js';
import { paths, withDaemon } from '../context.js';

interface DashboardOptions {
  port?: string;
  host?: string;
  stop?: boolean;
  json?: boolean;
  metricsPublic?: boolean;
}

/** `tend dashboard`: asks the daemon to serve the web dashboard and prints where, with the token actions need. */
export async function dashboardCommand(options: DashboardOptions): Promise<number> {
  if (options.stop) {
    const { stopped } = await withDaemon((client) => client.call('dashboardStop', undefined), { start: false }).catch(
      (err: unknown) => {
        // No daemon serves it now, but the next one would serve it again: forgetting is what stopping means here.
        if ((err as { code?: string }).code === 'DAEMON_UNREACHABLE') return { stopped: forgetDashboard(paths().home) };
        throw err;
      },
    );
    process.stdout.write(stopped ? 'dashboard stopped\n' : 'no dashboard was running\n');
    return 0;
  }
  const port = parsePort(options.port);
  const host = options.host ?? defaults.dashboardHost;
  const metricsPublic = options.metricsPublic === true;
  const info = await withDaemon((client) => client.call('dashboard', { host, port, metricsPublic }));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `dashboard: ${info.url}?token=${info.token}${info.reused ? '  (already serving)' : ''}`,
    `metrics:   ${info.url}metrics${info.metricsPublic ? '  (no token needed: --metrics-public)' : `  (Prometheus: bearer token in ${info.metricsTokenFile})`}`,
    `token:     ${info.token}  (${info.created ? 'new, ' : ''}stored in ${info.tokenFile})`,
    'every request needs the token (Authorization: Bearer <token>, or ?token= in the address); /metrics also takes the metrics token',
  ];
  if (info.metricsPublic && !isLoopbackHost(info.host))
    lines.push(`/metrics is open to anyone who can reach ${info.host}:${info.port}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function parsePort(raw: string | undefined): number {
  if (raw === undefined) return defaults.dashboardPort;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535)
    throw new TendError('USAGE', `--port must be a whole number from 0 to 65535; got \`${raw}\``);
  return Number(raw);
}
