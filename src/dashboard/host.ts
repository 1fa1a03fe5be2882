import { hostname } from 'node:os';
import { TendError } from '../core/errors.js';
import type { DashboardInfo } from '../api/methods.js';
import type { DashboardBackend } from './backend.js';
import type { DashboardServer } from './server.js';
import { loadOrCreateToken, metricsTokenFile, tokenFile } from './token.js';

/**
 * The web dashboard's server as the daemon runs it: one at a time, on the address asked for.
 * Loaded by DashboardSlot only once a dashboard is opened; the server and its page load with the first `open`.
 */
export class DashboardHost {
  private server: DashboardServer | null = null;

  constructor(
    private readonly home: string,
    private readonly backend: () => DashboardBackend,
  ) {}

  get serving(): boolean {
    return this.server !== null;
  }

  /** Starts serving (or keeps the server that already serves this host and port, with the `/metrics` rule asked for). */
  async open(params: { host?: unknown; port?: unknown; metricsPublic?: unknown }): Promise<DashboardInfo> {
    const host = typeof params.host === 'string' && params.host.trim() !== '' ? params.host.trim() : null;
    if (host === null) throw new TendError('USAGE', 'the dashboard needs an address to listen on (--host)');
    const port = params.port;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
      throw new TendError('USAGE', `--port must be a whole number from 0 to 65535; got ${JSON.stringify(port)}`);
    }
    const metricsPublic = params.metricsPublic === true;
    const file = tokenFile(this.home);
    const { token, created } = loadOrCreateToken(file);
    const metricsFile = metricsTokenFile(this.home);
    const metricsToken = loadOrCreateToken(metricsFile).token;
    const tokens = { token, tokenFile: file, created, metricsToken, metricsTokenFile: metricsFile };
    const current = this.server;
    if (current && current.host === host && (port === 0 || port === current.port)) {
      current.access.metricsPublic = metricsPublic;
      return info(current, tokens, true);
    }
    if (current) {
      this.server = null;
      await current.close();
    }
    const { DashboardServer } = await import('./server.js');
    try {
      const access = { token, metricsToken, metricsPublic };
      this.server = await DashboardServer.listen({ host, port, access, backend: this.backend() });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE')
        throw new TendError('USAGE', `port ${port} on ${host} is in use; choose another with --port`, { cause: err });
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
        throw new TendError('USAGE', `cannot listen on ${host}: not an address of this machine`, { cause: err });
      }
      if (code === 'EACCES')
        throw new TendError('USAGE', `not allowed to listen on port ${port}; ports below 1024 need root`, {
          cause: err,
        });
      throw err;
    }
    console.log(`dashboard serving http://${urlHost(host)}:${this.server.port}/`);
    return info(this.server, tokens, false);
  }

  async close(): Promise<{ stopped: boolean }> {
    const current = this.server;
    this.server = null;
    if (current) await current.close();
    return { stopped: current !== null };
  }

  tick(): void {
    this.server?.tick();
  }

  changed(): void {
    this.server?.changed();
  }
}

function info(
  server: DashboardServer,
  tokens: Pick<DashboardInfo, 'token' | 'tokenFile' | 'created' | 'metricsToken' | 'metricsTokenFile'>,
  reused: boolean,
): DashboardInfo {
  // A wildcard bind is reached by the machine's name, not by 0.0.0.0.
  const shown = server.host === '0.0.0.0' || server.host === '::' ? hostname() : server.host;
  return {
    url: `http://${urlHost(shown)}:${server.port}/`,
    host: server.host,
    port: server.port,
    ...tokens,
    metricsPublic: server.access.metricsPublic,
    reused,
  };
}

function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
