// HTTP load on 127.0.0.1 with autocannon, run inside the harness (keep-alive connections, as a proxy in front of an app keeps them).
import autocannon from 'autocannon';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { sleep } from './procs.mjs';

/** A port nobody listens on right now, on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Waits until the app answers 200 on `/`. */
export async function waitHttp(port, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const req = get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 1000 }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
      req.on('timeout', () => req.destroy());
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`nothing answered on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

/** Requests that did not get a 2xx answer: connection errors, timeouts, other statuses. */
export function failedRequests(result) {
  return result.errors + result.timeouts + result.non2xx;
}

/** Load for a fixed time; resolves with autocannon's result. */
export function loadFor(port, connections, ms) {
  return autocannon({ url: `http://127.0.0.1:${port}/`, connections, duration: ms / 1000 });
}

/** Load until stop() is called; stop() resolves with autocannon's result. */
export function startLoad(port, connections) {
  let instance;
  const done = new Promise((resolve, reject) => {
    instance = autocannon({ url: `http://127.0.0.1:${port}/`, connections, duration: 3600 }, (err, result) =>
      err ? reject(err) : resolve(result),
    );
  });
  return {
    stop() {
      instance.stop();
      return done;
    },
  };
}

/**
 * Failed requests with `connections` keep-alive connections busy on `port` while `disturb()` runs `times` times: 1 s of
 * load first and 1 s after each. A run where no request got through at all measured nothing, so it throws.
 */
export async function failedRequestsUnderLoad(port, connections, times, disturb) {
  const load = startLoad(port, connections);
  let result;
  try {
    await sleep(1000);
    for (let i = 0; i < times; i++) {
      await disturb();
      await sleep(1000);
    }
  } finally {
    result = await load.stop();
  }
  if (result.requests.total === 0) throw new Error('no request got through at all');
  return failedRequests(result);
}
