import http from 'node:http';

export interface LoadReport {
  ok: number;
  failed: number;
  errors: Record<string, number>;
  pids: Set<string>;
}

/**
 * A small load generator: `connections` keep-alive sockets on 127.0.0.1, each sending requests back to back
 * until `stop()`; every failed request (error, non-200) is counted by its cause.
 */
export function startLoad(port: number, connections = 50): { stop(): Promise<LoadReport> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const report: LoadReport = { ok: 0, failed: 0, errors: {}, pids: new Set() };
  let running = true;
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => {
          if (res.statusCode === 200) {
            report.ok++;
            report.pids.add(body.trim().split(' ')[1] ?? '');
          } else {
            report.failed++;
            report.errors[`status ${res.statusCode}`] = (report.errors[`status ${res.statusCode}`] ?? 0) + 1;
          }
          resolve();
        });
      });
      // A request that hangs is a failure too, not a stuck test.
      req.setTimeout(5000, () => req.destroy(Object.assign(new Error('no answer within 5 s'), { code: 'TIMEOUT' })));
      req.on('error', (error: NodeJS.ErrnoException) => {
        report.failed++;
        const key = error.code ?? error.message;
        report.errors[key] = (report.errors[key] ?? 0) + 1;
        resolve();
      });
    });
  const loops = Array.from({ length: connections }, async () => {
    while (running) await one();
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      return report;
    },
  };
}

/**
 * One request after another, each on a new connection (so a replaced worker or instance is reached as soon as it takes
 * connections), until `stop()`: how many were answered 200, and how many were not (an error, a timeout, another status).
 */
export function sequentialRequests(port: number): { stop(): Promise<{ answered: number; failed: number }> } {
  let answered = 0;
  let failed = 0;
  let running = true;
  const one = (): Promise<number> =>
    new Promise((resolve) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/', timeout: 5000 }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', () => resolve(0));
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.end();
    });
  const loop = (async () => {
    while (running) {
      if ((await one()) === 200) answered += 1;
      else failed += 1;
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { answered, failed };
    },
  };
}
