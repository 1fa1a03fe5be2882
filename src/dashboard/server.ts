import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaults } from '../core/defaults.js';
import { isTendError } from '../core/errors.js';
import type { ProcessView } from '../api/methods.js';
import { readLastLines } from '../runtime/log-files.js';
import { type AccessPolicy, decideAccess } from './auth.js';
import type { DashboardBackend, ProcessAction } from './backend.js';
import { LogStream, type LogBatch, type LogSource } from './log-stream.js';
import { PAGE_HTML } from './page.js';
import { collectMetrics } from '../metrics/collect.js';
import { formatPrometheus, PROMETHEUS_CONTENT_TYPE } from '../metrics/prometheus.js';
import { SseHub } from './sse.js';

export interface DashboardServerOptions {
  host: string;
  port: number;
  /** Who may read and act (auth.ts); `metricsPublic` can change while the server runs. */
  access: AccessPolicy;
  backend: DashboardBackend;
}

const ACTIONS = new Set<ProcessAction>(['restart', 'reload', 'stop', 'start']);
const MAX_BODY_BYTES = 4096;

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  // Inline script and style only, and requests back to this server: nothing else loads, nothing frames it.
  'Content-Security-Policy':
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  // The page's address may carry the token: it must not leak in a Referer.
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

/** The HTTP side of the dashboard, inside the daemon: the page, its event stream, its actions, and /metrics. */
export class DashboardServer {
  private readonly hub = new SseHub();
  private readonly logs: LogStream;
  private changeTimer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
    private readonly options: DashboardServerOptions,
  ) {
    this.logs = new LogStream((batches) => this.hub.broadcast('logs', batches), {
      maxLinesPerFlush: defaults.dashboardMaxLinesPerFlush,
      flushMs: defaults.followPollMs,
    });
  }

  /** Listens (port 0: any free port) and resolves once the port is known. */
  static listen(options: DashboardServerOptions): Promise<DashboardServer> {
    return new Promise((resolve, reject) => {
      let instance: DashboardServer | null = null;
      const server = createServer((req, res) => {
        instance?.handle(req, res).catch((err: unknown) => {
          console.error('dashboard: request failed:', err);
          if (!res.headersSent) sendJson(res, 500, { error: 'the dashboard failed on this request' });
          else res.end();
        });
      });
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        server.on('error', (err) => console.error('dashboard: server error:', err));
        const port = (server.address() as AddressInfo).port;
        instance = new DashboardServer(server, options.host, port, options);
        resolve(instance);
      });
    });
  }

  /** Who may read and act; `tend dashboard` with or without `--metrics-public` changes `metricsPublic` in place. */
  get access(): AccessPolicy {
    return this.options.access;
  }

  /** Called on every sampler tick: new chart points and fresh uptimes for every open page. */
  tick(): void {
    if (this.hub.size === 0) return;
    this.hub.broadcast('usage', this.options.backend.latestUsage());
    this.hub.broadcast('processes', this.snapshot());
  }

  /** Called on every state change; a burst of them becomes one update. */
  changed(): void {
    if (this.hub.size === 0 || this.changeTimer) return;
    this.changeTimer = setTimeout(() => {
      this.changeTimer = null;
      this.hub.broadcast('processes', this.snapshot());
      this.logs.sync(this.logSources());
    }, defaults.dashboardChangeDebounceMs);
  }

  close(): Promise<void> {
    if (this.changeTimer) clearTimeout(this.changeTimer);
    this.logs.close();
    this.hub.closeAll();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Only what the page shows: sent every second to every page, so paths and args stay out. */
  private snapshot(): { at: number; processes: PageProcess[] } {
    return { at: Date.now(), processes: this.options.backend.list().map(pageProcess) };
  }

  private logSources(list: ProcessView[] = this.options.backend.list()): LogSource[] {
    const sources: LogSource[] = [];
    for (const p of list) {
      if (p.pm_out_log_path) sources.push({ file: p.pm_out_log_path, app: p.name, stream: 'out' });
      if (p.pm_err_log_path) sources.push({ file: p.pm_err_log_path, app: p.name, stream: 'err' });
    }
    return sources;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    const method = req.method ?? 'GET';
    const access = decideAccess(
      {
        method,
        path: url.pathname,
        authorization: req.headers.authorization,
        queryToken: url.searchParams.get('token'),
      },
      this.options.access,
    );
    if (!access.ok) {
      if (access.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="tend"');
      sendJson(res, access.status, { error: access.reason });
      return;
    }
    const path = url.pathname;
    if (method === 'GET' || method === 'HEAD') {
      if (path === '/' || path === '/index.html') {
        res.writeHead(200, PAGE_HEADERS);
        res.end(method === 'HEAD' ? undefined : PAGE_HTML);
        return;
      }
      if (path === '/events') return this.openStream(req, res);
      if (path === '/metrics') {
        const body = formatPrometheus(collectMetrics({ processes: this.options.backend.list() }));
        res.writeHead(200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE, 'Cache-Control': 'no-store' });
        res.end(method === 'HEAD' ? undefined : body);
        return;
      }
      if (path === '/api/processes') return sendJson(res, 200, this.snapshot());
      if (path === '/api/usage') return sendJson(res, 200, this.options.backend.usage());
      return sendJson(res, 404, { error: `no page at ${path}` });
    }
    if (method !== 'POST') return sendJson(res, 405, { error: `${method} is not allowed here` });
    const action = /^\/api\/processes\/(\d+)\/([a-z]+)$/.exec(path);
    if (action && ACTIONS.has(action[2] as ProcessAction)) {
      return this.run(res, () => this.options.backend.act(action[2] as ProcessAction, action[1]!));
    }
    const scale = /^\/api\/apps\/([^/]+)\/scale$/.exec(path);
    if (scale) {
      const body = await readJson(req);
      const count =
        typeof body?.count === 'string' ? body.count : typeof body?.count === 'number' ? String(body.count) : null;
      if (count === null) return sendJson(res, 400, { error: 'scale needs a JSON body like {"count": "+1"}' });
      return this.run(res, () => this.options.backend.scale(decodeURIComponent(scale[1]!), count));
    }
    return sendJson(res, 404, { error: `no action at ${path}` });
  }

  private async run(res: ServerResponse, operation: () => Promise<unknown>): Promise<void> {
    try {
      const result = await operation();
      const failed =
        (result as { failed?: Array<{ app: string; instance: number; reason: string }> } | null)?.failed ?? [];
      sendJson(res, 200, { ok: failed.length === 0, failed });
    } catch (err) {
      if (!isTendError(err)) throw err;
      sendJson(res, err.code === 'UNKNOWN_APP' ? 404 : 400, { error: err.message, code: err.code });
    }
  }

  /** A new page gets everything it needs to draw at once, then only changes. */
  private async openStream(_req: IncomingMessage, res: ServerResponse): Promise<void> {
    const list = this.options.backend.list();
    const sources = this.logSources(list);
    this.hub.open(res, () => {
      if (this.hub.size === 0) this.logs.sync([]);
    });
    // Follow first, then read the backlog: a line written in between may show twice, never not at all.
    this.logs.sync(sources);
    this.hub.send(res, 'processes', { at: Date.now(), processes: list.map(pageProcess) });
    this.hub.send(res, 'history', this.options.backend.usage());
    const backlog: LogBatch[] = [];
    const seen = new Set<string>();
    for (const s of sources) {
      if (seen.has(s.file)) continue;
      seen.add(s.file);
      const lines = await readLastLines(s.file, defaults.dashboardBacklogLines).catch(() => []);
      if (lines.length > 0) backlog.push({ app: s.app, stream: s.stream, lines, skipped: 0 });
    }
    if (!res.destroyed) this.hub.send(res, 'backlog', backlog);
  }
}

const PAGE_FIELDS = [
  'id',
  'name',
  'instance',
  'mode',
  'pid',
  'status',
  'restarts',
  'unstable_restarts',
  'uptime_ms',
  'cpu',
  'memory',
  'exit_code',
  'exit_signal',
  'restart_reason',
  'error',
  'metrics',
] as const;
type PageProcess = Pick<ProcessView, (typeof PAGE_FIELDS)[number]>;

function pageProcess(view: ProcessView): PageProcess {
  const out: Record<string, unknown> = {};
  for (const key of PAGE_FIELDS) out[key] = view[key];
  return out as PageProcess;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
