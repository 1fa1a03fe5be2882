import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, freePort, sleep, TendHarness, until } from './harness.js';
import { startLoad } from './load.js';

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

/** A fork-mode Node app that calls `listen(PORT, '127.0.0.1')` itself, unchanged, on a socket tend holds. */
function nodeApp(port: number, instances = 2): string {
  return `apps:\n  - name: web\n    script: ${fixture('cluster-http.cjs')}\n    exec_mode: fork\n    instances: ${instances}\n    listen: 127.0.0.1:${port}\n    env:\n      PORT: ${port}\n`;
}

function pythonApp(listen: string | number): string {
  return `apps:\n  - name: py\n    script: ${fixture('http-on-fd3.py')}\n    interpreter: python3\n    listen: ${JSON.stringify(listen)}\n`;
}

/** One GET on a fresh connection: the body (`<VERSION> <pid>`). */
function get(target: { port: number } | { socketPath: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', path: '/', agent: false, ...target }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body.trim()));
    });
    req.on('error', reject);
    req.end();
  });
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/** Three reloads under keep-alive load; the report, and the pids before and after. */
async function reloadThreeTimesUnderLoad(app: string, port: number) {
  const before = (await tend.list()).map((p) => p.pid);
  const load = startLoad(port, 30);
  await sleep(1000);
  for (let i = 0; i < 3; i++) {
    await tend.ok(['reload', app]);
    await sleep(1000);
  }
  const report = await load.stop();
  const after = await tend.list();
  return { report, before, after };
}

describe('listen: sockets tend holds', () => {
  it('a fork-mode Node app answers on the held port with no change to its code; deleting it closes the socket', async () => {
    const port = await freePort();
    await tend.ok(['apply', tend.write('eco.yml', nodeApp(port))]);
    const pids = (await tend.list()).map((p) => String(p.pid));
    const answered = new Set<string>();
    for (let i = 0; i < 20; i++) answered.add((await get({ port })).split(' ')[1]!);
    // Every answer comes from one of the app's instances; they share the one socket.
    for (const pid of answered) expect(pids).toContain(pid);
    await tend.ok(['delete', 'web']);
    expect(await refused(port)).toBe(true);
  }, 30_000);

  it('3 reloads of a fork-mode Node app under keep-alive load: 0 failed requests, every pid new', async () => {
    const port = await freePort();
    await tend.ok(['apply', tend.write('eco.yml', nodeApp(port))]);
    const { report, before, after } = await reloadThreeTimesUnderLoad('web', port);
    expect(report.errors).toEqual({});
    expect(report.failed).toBe(0);
    expect(report.ok).toBeGreaterThan(100);
    for (const p of after) expect(before).not.toContain(p.pid);
    expect(after.map((p) => [p.status, p.restarts])).toEqual([
      ['online', 3],
      ['online', 3],
    ]);
  }, 60_000);

  it('scale up and down under keep-alive load: the instances share the socket, 0 failed requests', async () => {
    const port = await freePort();
    await tend.ok(['apply', tend.write('eco.yml', nodeApp(port, 1))]);
    const load = startLoad(port, 20);
    await sleep(500);
    await tend.ok(['scale', 'web', '3']);
    await sleep(1000);
    const answered = new Set<string>();
    for (let i = 0; i < 30; i++) answered.add((await get({ port })).split(' ')[1]!);
    await tend.ok(['scale', 'web', '1']);
    await sleep(1000);
    const report = await load.stop();
    expect(report.errors).toEqual({});
    expect(report.failed).toBe(0);
    expect(answered.size).toBeGreaterThan(1);
    expect((await tend.list()).length).toBe(1);
  }, 60_000);

  it('a Python app reading fd 3 (standard library only): 3 reloads under load, 0 failed requests, new pids', async () => {
    const port = await freePort();
    await tend.ok(['apply', tend.write('eco.yml', pythonApp(port))]);
    expect(await get({ port })).toMatch(/^v0 \d+$/);
    const { report, before, after } = await reloadThreeTimesUnderLoad('py', port);
    expect(report.errors).toEqual({});
    expect(report.failed).toBe(0);
    expect(report.ok).toBeGreaterThan(100);
    expect(after.map((p) => p.status)).toEqual(['online']);
    expect(before).not.toContain(after[0]!.pid);
  }, 60_000);

  it('a daemon killed with SIGKILL: the app keeps answering; the next daemon binds the sockets again at the first reload, then reloads drop nothing', async () => {
    const port = await freePort();
    await tend.ok(['apply', tend.write('eco.yml', nodeApp(port))]);
    process.kill(tend.daemonPid()!, 'SIGKILL');
    expect(await get({ port })).toMatch(/^v0 \d+$/);
    const first = await tend.ok(['reload', 'web']);
    expect(first.stdout).toContain('this daemon does not hold its sockets yet');
    expect(await get({ port })).toMatch(/^v0 \d+$/);
    const { report, before, after } = await reloadThreeTimesUnderLoad('web', port);
    expect(report.errors).toEqual({});
    expect(report.failed).toBe(0);
    for (const p of after) expect(before).not.toContain(p.pid);
  }, 60_000);

  it("systemd's variables: LISTEN_FDS, LISTEN_FDNAMES in fd order, LISTEN_PID the instance's own pid", async () => {
    const port = await freePort();
    const app = `apps:\n  - name: env\n    script: ${fixture('prints-env.js')}\n    listen: [${port}, ./env.sock]\n`;
    const file = tend.write('eco.yml', app);
    await tend.ok(['apply', file]);
    const pid = (await tend.list())[0]?.pid;
    const out = join(tend.home, 'logs', 'env-out.log');
    const env = JSON.parse(await until(() => readFileSync(out, 'utf8').trim(), 5000, 'the env line')) as Record<
      string,
      string
    >;
    expect([env.LISTEN_FDS, env.LISTEN_FDNAMES, env.LISTEN_PID]).toEqual([
      '2',
      `${port}:${file.replace(/eco\.yml$/, 'env.sock')}`,
      String(pid),
    ]);
    const shown = await tend.ok(['show', 'env']);
    expect(shown.stdout).toMatch(new RegExp(`listen\\s+${port} \\(fd 3\\), \\S+/env\\.sock \\(fd 4\\)`));
  }, 30_000);

  it('apply of a changed env reloads the fork app beside its old instances, without dropping requests', async () => {
    const port = await freePort();
    const file = tend.write('eco.yml', nodeApp(port));
    await tend.ok(['apply', file]);
    const load = startLoad(port, 20);
    await sleep(500);
    const applied = await tend.ok([
      'apply',
      tend.write('eco.yml', nodeApp(port).replace('env:\n', 'env:\n      VERSION: v2\n')),
    ]);
    expect(applied.stdout).toMatch(/~ web\s+reload 2 instances/);
    await sleep(500);
    const report = await load.stop();
    expect(report.errors).toEqual({});
    expect(new Set((await Promise.all([get({ port }), get({ port })])).map((body) => body.split(' ')[0]))).toEqual(
      new Set(['v2']),
    );
  }, 30_000);

  it('a port another program listens on: the instance fails, naming the app and the address', async () => {
    const port = await freePort();
    const other = createServer().listen(port, '127.0.0.1');
    try {
      const applied = await tend.run(['apply', tend.write('eco.yml', nodeApp(port, 1))]);
      expect(applied.code).not.toBe(0);
      expect(applied.stdout + applied.stderr).toContain(
        `cannot listen for web: 127.0.0.1:${port}: the address is already in use (EADDRINUSE)`,
      );
      expect((await tend.list()).map((p) => p.status)).toEqual(['errored']);
    } finally {
      other.close();
    }
  }, 30_000);

  it('a unix socket path: the app answers on it, and the file goes with the app', async () => {
    const file = tend.write('eco.yml', pythonApp('./api.sock'));
    await tend.ok(['apply', file]);
    const socketPath = file.replace(/eco\.yml$/, 'api.sock');
    expect(await get({ socketPath })).toMatch(/^v0 \d+$/);
    await tend.ok(['delete', 'py']);
    await expect(get({ socketPath })).rejects.toThrow(/ENOENT/);
  }, 30_000);
});
