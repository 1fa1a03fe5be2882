import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, freePort, type ListedProcess, sleep, TendHarness } from './harness.js';
import { sequentialRequests } from './load.js';

type Checked = ListedProcess & { ready: boolean | null; health: string | null };

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

/** Polls an async probe (a CLI run) until it gives a value; fails after `timeoutMs`. */
async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** An app of tests/fixtures/apps/health-server.js on its own port, with the given env and extra YAML lines. */
function server(name: string, port: number, env: Record<string, string | number>, extra: string): string {
  const envLines = Object.entries(env)
    .map(([k, v]) => `      ${k}: "${v}"\n`)
    .join('');
  return `  - name: ${name}\n    script: ${fixture('health-server.js')}\n    port: ${port}\n    env:\n${envLines}${extra}`;
}

describe('readiness (`ready:`)', () => {
  it('apply waits for a server that becomes ready late, and ls shows it starting until then', async () => {
    const port = await freePort();
    const file = tend.write(
      'eco.yml',
      `apps:\n${server('late', port, { READY_AFTER_MS: 4000 }, '    listen_timeout: 15s\n    ready:\n      http: { path: /health }\n      interval: 200ms\n')}`,
    );
    // The daemon is up first, so the apply and the polls below do not race to start it.
    await tend.ok(['ping']);
    const began = Date.now();
    const applying = tend.run(['apply', file]);
    const starting = await eventually(
      async () => {
        const ls = await tend.run(['ls']);
        return /late .* starting /.test(ls.stdout) ? ls.stdout : undefined;
      },
      15_000,
      '`tend ls` to show the app starting',
    );
    expect(starting).toMatch(/late/);
    const applied = await applying;
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/ready\s+late\[0\]/);
    expect(Date.now() - began).toBeGreaterThanOrEqual(4000);
    const [p] = (await tend.list()) as Checked[];
    expect(p).toMatchObject({ status: 'online', ready: true });
    expect((await tend.ok(['ls'])).stdout).toMatch(/late .* online /);
    const show = await tend.ok(['show', 'late']);
    expect(show.stdout).toMatch(/readiness\s+http\s+ready\s+pass\s+\S+\s+GET \/health answered 200/);
  });

  it('tcp, exec and log checks each make an instance ready only once they pass', async () => {
    const [p1, p2, p3] = [await freePort(), await freePort(), await freePort()];
    const flag = join(tend.work, 'ready.flag');
    const file = tend.write(
      'eco.yml',
      `apps:\n${[
        server('bytcp', p1, { READY_AFTER_MS: 0 }, '    ready: { tcp: true, interval: 100ms }\n'),
        server('byexec', p2, { READY_AFTER_MS: 1200, READY_FLAG: flag }, `    ready: { exec: "test -f ${flag}" }\n`),
        server('bylog', p3, { READY_AFTER_MS: 1500 }, '    ready: { log: "^accepting conn" }\n'),
      ].join('')}`,
    );
    const began = Date.now();
    const applied = await tend.ok(['apply', file]);
    expect(applied.stdout).toMatch(/3\/3 instances up/);
    expect(Date.now() - began).toBeGreaterThanOrEqual(1500);
    const list = (await tend.list()) as Checked[];
    expect(list.map((p) => [p.name, p.ready])).toEqual([
      ['bytcp', true],
      ['byexec', true],
      ['bylog', true],
    ]);
    expect((await tend.ok(['show', 'bylog'])).stdout).toMatch(/readiness\s+log\s+ready\s+pass.*accepting connections/);
    expect((await tend.ok(['show', 'byexec'])).stdout).toMatch(/readiness\s+exec\s+ready\s+pass.*exited with code 0/);
    // The exec check ran only once the app had made the file: readiness followed the app, not the spawn.
    expect(readFileSync(flag, 'utf8')).toBe(String(list[1]!.pid));
  });

  it('past listen_timeout apply goes on (as wait_ready does), says why, and ls keeps it starting', async () => {
    const port = await freePort();
    const file = tend.write(
      'eco.yml',
      `apps:\n${server('never', port, { READY_AFTER_MS: 600_000 }, '    listen_timeout: 1s\n    ready: { http: { path: /health, status: 200 } }\n')}`,
    );
    const applied = await tend.ok(['apply', file]);
    expect(applied.stdout).toMatch(/not ready within listen_timeout \(1000 ms\): GET \/health answered 503/);
    const [p] = (await tend.list()) as Checked[];
    expect(p).toMatchObject({ status: 'online', ready: false });
    expect((await tend.ok(['ls'])).stdout).toMatch(/never .* starting /);
  });
});

describe('readiness in cluster mode', () => {
  it('a rolling reload checks each new worker (out of the table until ready) and completes', async () => {
    const port = await freePort();
    const file = tend.write(
      'eco.yml',
      `apps:\n${server('cl', port, { READY_AFTER_MS: 300 }, '    exec_mode: cluster\n    instances: 2\n    ready: { http: { path: /health }, interval: 100ms }\n')}`,
    );
    await tend.ok(['apply', file]);
    const before = (await tend.list()).map((p) => p.pid);
    const reloaded = await tend.run(['reload', 'cl']);
    expect(reloaded.code).toBe(0);
    const after = (await tend.list()) as Checked[];
    expect(after.map((p) => [p.status, p.ready])).toEqual([
      ['online', true],
      ['online', true],
    ]);
    expect(after.map((p) => p.pid).filter((pid) => before.includes(pid))).toEqual([]);
  });
});

describe('liveness (`health:`)', () => {
  it('a server that flips to unhealthy is restarted: restart count +1, show says why', async () => {
    const port = await freePort();
    const flag = join(tend.work, 'went-unhealthy');
    const file = tend.write(
      'eco.yml',
      `apps:\n${server('flips', port, { UNHEALTHY_AFTER_MS: 1500, UNHEALTHY_ONCE_FLAG: flag }, '    health: { http: { path: /health }, interval: 300ms, failures: 2 }\n')}`,
    );
    await tend.ok(['apply', file]);
    const [first] = await tend.list();
    expect(first!.restarts).toBe(0);
    const [after] = await tend.waitFor(
      (l) => l[0]!.restarts >= 1 && l[0]!.status === 'online' && (l[0] as Checked).health === 'passing',
      15_000,
      'a restart by the health check, and the new run passing',
    );
    // The run that went unhealthy wrote the flag; the one that replaced it is another process, and healthy.
    expect(readFileSync(flag, 'utf8')).toBe(String(first!.pid));
    expect(after!.pid).not.toBe(first!.pid);
    expect(after!.restarts).toBe(1);
    expect(after!.restart_reason).toBe('health');
    const show = await tend.ok(['show', 'flips']);
    expect(show.stdout).toMatch(/last restart reason\s+health/);
    expect(show.stdout).toMatch(/last health restart: health check failed 2 times: GET \/health answered 500/);
    const log = readFileSync(join(tend.home, 'daemon.log'), 'utf8');
    expect(log).toMatch(/flips\[0\] \(id 0\) health check failed \(1\/2\): GET \/health answered 500/);
    expect(log).toMatch(/flips\[0\] \(id 0\) health check failed 2 times: GET \/health answered 500; restarting it/);
  });

  it('in cluster mode an unhealthy worker is replaced by a new one that is ready first: no request fails', async () => {
    const port = await freePort();
    const flag = join(tend.work, 'went-unhealthy');
    const file = tend.write(
      'eco.yml',
      `apps:\n${server('cw', port, { UNHEALTHY_AFTER_MS: 1500, UNHEALTHY_ONCE_FLAG: flag }, '    exec_mode: cluster\n    instances: 1\n    ready: { http: { path: /health }, interval: 100ms }\n    health: { http: { path: /health }, interval: 300ms, failures: 2 }\n')}`,
    );
    await tend.ok(['apply', file]);
    const [first] = await tend.list();
    const load = sequentialRequests(port);
    const [after] = await tend.waitFor(
      (l) => l[0]!.pid !== first!.pid && l[0]!.status === 'online' && (l[0] as Checked).health === 'passing',
      20_000,
      'the worker replaced, and the new one passing',
    );
    const { answered, failed } = await load.stop();
    expect(failed).toBe(0);
    expect(answered).toBeGreaterThan(20);
    expect(readFileSync(flag, 'utf8')).toBe(String(first!.pid));
    expect(after!.restarts).toBe(1);
    const log = readFileSync(join(tend.home, 'daemon.log'), 'utf8');
    expect(log).toMatch(
      /cw\[0\] \(id 0\) health check failed 2 times: GET \/health answered 500; replacing it by a new one, ready first/,
    );
    expect(log).toMatch(new RegExp(`cw\\[0\\] reloaded: pid ${first!.pid} → ${after!.pid}`));
  });

  it('a health endpoint that hangs fails by timeout and restarts the app', async () => {
    const port = await freePort();
    const file = tend.write(
      'eco.yml',
      `apps:\n${server('hangs', port, { HANG_AFTER_MS: 1000 }, '    health: { http: { path: /health }, interval: 300ms, timeout: 400ms, failures: 2 }\n')}`,
    );
    await tend.ok(['apply', file]);
    await tend.waitFor((l) => l[0]!.restarts >= 1, 10_000, 'a restart by the health check');
    const show = await tend.ok(['show', 'hangs']);
    expect(show.stdout).toMatch(/last health restart: health check failed 2 times: GET \/health timed out after 400ms/);
  });

  it('a healthy app is left alone and shows passing', async () => {
    const port = await freePort();
    const file = tend.write(
      'eco.yml',
      `apps:\n${server('fine', port, { READY_AFTER_MS: 0 }, '    health: { http: { path: /health }, interval: 200ms, failures: 1, start_period: 3s }\n')}`,
    );
    await tend.ok(['apply', file]);
    const list = (await tend.waitFor(
      (l) => (l[0] as Checked).health === 'passing',
      5_000,
      'a passing health check',
    )) as Checked[];
    await eventually(
      async () => {
        const show = await tend.run(['show', 'fine']);
        return /liveness\s+http\s+passing\s+pass/.test(show.stdout) ? true : undefined;
      },
      5_000,
      'show to print a passing liveness check',
    );
    expect(list[0]!.restarts).toBe(0);
  });
});
