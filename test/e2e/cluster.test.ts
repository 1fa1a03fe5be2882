import { Agent, request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, freePort, sleep, TendHarness } from './harness.js';
import { startLoad } from './load.js';

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

// A new worker on a loaded CI machine can take more than a second to listen; only the test of a
// worker that never becomes ready wants the short wait.
function clusterApp(port: number, extra = '', listenTimeoutMs = 15_000): string {
  return `apps:\n  - name: web\n    script: ${fixture('cluster-http.cjs')}\n    exec_mode: cluster\n    instances: 2\n    listen_timeout: ${listenTimeoutMs}\n    env:\n      PORT: ${port}\n      VERSION: v1\n${extra}`;
}

/** One GET on a keep-alive agent: the status, the `connection` header the server sent and the body. */
function keepAliveGet(
  port: number,
  path: string,
  agent: Agent,
): Promise<{ status: number; connection: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function get(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/`);
  return (await res.text()).trim();
}

describe('cluster mode', () => {
  it('runs N instances behind one port, shown as cluster in ls', async () => {
    const port = await freePort();
    const file = tend.write('eco.yml', clusterApp(port));
    await tend.ok(['apply', file]);
    const list = await tend.list();
    expect(list.map((p) => [p.name, p.instance, p.status])).toEqual([
      ['web', 0, 'online'],
      ['web', 1, 'online'],
    ]);
    const pids = new Set<string>();
    // Round-robin: fresh connections land on both workers.
    for (let i = 0; i < 10; i++) pids.add((await get(port)).split(' ')[1]!);
    expect(pids).toEqual(new Set(list.map((p) => String(p.pid))));
    expect((await tend.ok(['ls'])).stdout).toMatch(/web\[0\]\s+cluster/);
  });

  it('a reload answers the requests in flight, asking their clients to close; before it, connections stay open', async () => {
    const port = await freePort();
    // In flight until both old workers drain (each new one is ready well within a second), and answered before a drain
    // may end (kill_timeout).
    const file = tend.write('eco.yml', `${clusterApp(port, '      SLOW_MS: 2500\n')}    kill_timeout: 6000\n`);
    await tend.ok(['apply', file]);
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    try {
      const quick = await keepAliveGet(port, '/', agent);
      expect(quick.connection).toBe('keep-alive');
      const slow = keepAliveGet(port, '/slow', agent);
      await sleep(50);
      const reloaded = tend.ok(['reload', 'web']);
      const answer = await slow;
      expect(answer.status).toBe(200);
      expect(answer.body).toMatch(/^v1 \d+\n$/);
      expect(answer.connection).toBe('close');
      await reloaded;
      const fresh = await keepAliveGet(port, '/', agent);
      expect(fresh.connection).toBe('keep-alive');
    } finally {
      agent.destroy();
    }
  });

  it('three reloads under continuous load: zero failed requests, every pid changed', async () => {
    const port = await freePort();
    const file = tend.write('eco.yml', clusterApp(port));
    await tend.ok(['apply', file]);
    const before = await tend.list();
    const load = startLoad(port, 50);
    await sleep(1500);
    for (let i = 0; i < 3; i++) {
      await tend.ok(['reload', 'web']);
      await sleep(2000);
    }
    await sleep(2500);
    const report = await load.stop();
    const after = await tend.list();
    expect(report.errors).toEqual({});
    expect(report.failed).toBe(0);
    expect(report.ok).toBeGreaterThan(1000);
    for (const p of after) expect(before.map((b) => b.pid)).not.toContain(p.pid);
    expect(after.map((p) => p.status)).toEqual(['online', 'online']);
    expect(after.map((p) => p.restarts)).toEqual([3, 3]);

    // For contrast: a restart (stop then start) under the same load. Reported, not asserted.
    const contrast = startLoad(port, 50);
    await sleep(500);
    await tend.ok(['restart', 'web']);
    await sleep(1000);
    const restartReport = await contrast.stop();
    console.log(
      `tend restart under load: ${restartReport.failed} failed of ${restartReport.ok + restartReport.failed}`,
      restartReport.errors,
    );
  }, 60_000);

  it('apply of a changed cluster app reloads it without dropping requests', async () => {
    const port = await freePort();
    const file = tend.write('eco.yml', clusterApp(port));
    await tend.ok(['apply', file]);
    const load = startLoad(port, 20);
    await sleep(500);
    tend.write('eco.yml', clusterApp(port).replace('VERSION: v1', 'VERSION: v2'));
    const applied = await tend.ok(['apply', file]);
    expect(applied.stdout).toMatch(/~ web\s+reload 2 instances/);
    await sleep(500);
    const report = await load.stop();
    expect(report.failed).toBe(0);
    expect(await get(port)).toMatch(/^v2 /);
  }, 30_000);

  it('a reload whose new instance never becomes ready stops there and the old instances keep serving', async () => {
    const port = await freePort();
    const file = tend.write('eco.yml', clusterApp(port));
    await tend.ok(['apply', file]);
    const before = await tend.list();
    tend.write('eco.yml', clusterApp(port, '      NEVER_READY: "1"\n', 1500));
    const result = await tend.run(['apply', file]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(
      /reload of web stopped at instance 0.*not ready within listen_timeout \(1500 ms\).*old instances keep serving/,
    );
    const after = await tend.list();
    expect(after.map((p) => [p.pid, p.status])).toEqual(before.map((p) => [p.pid, 'online']));
    expect(await get(port)).toMatch(/^v1 /);
  });

  it('scale adds and removes only the difference; a crashed instance is restarted alone', async () => {
    const port = await freePort();
    const file = tend.write('eco.yml', clusterApp(port));
    await tend.ok(['apply', file]);
    const before = await tend.list();
    await tend.ok(['scale', 'web', '+2']);
    let list = await tend.list();
    expect(list.map((p) => p.instance)).toEqual([0, 1, 2, 3]);
    expect(list.slice(0, 2).map((p) => p.pid)).toEqual(before.map((p) => p.pid));
    await tend.ok(['scale', 'web', '3']);
    list = await tend.list();
    expect(list.map((p) => p.instance)).toEqual([0, 1, 2]);

    process.kill(list[1]!.pid!, 'SIGKILL');
    const healed = await tend.waitFor(
      (l) => l[1]!.restarts === 1 && l[1]!.status === 'online',
      10_000,
      'instance 1 back',
    );
    expect(healed[0]!.pid).toBe(list[0]!.pid);
    expect(healed[2]!.pid).toBe(list[2]!.pid);
    expect(await get(port)).toMatch(/^v1 /);
  });

  it('a daemon killed with SIGKILL does not interrupt the service; the next daemon takes the workers back and reloads them', async () => {
    const port = await freePort();
    const file = tend.write('eco.yml', clusterApp(port));
    await tend.ok(['apply', file]);
    const before = await tend.list();
    const load = startLoad(port, 20);
    await sleep(500);
    process.kill(tend.daemonPid()!, 'SIGKILL');
    await sleep(1000);
    const adopted = await tend.list();
    expect(adopted.map((p) => [p.pid, p.status])).toEqual(before.map((p) => [p.pid, 'online']));
    await tend.ok(['reload', 'web']);
    await sleep(500);
    const report = await load.stop();
    expect(report.errors).toEqual({});
    const after = await tend.list();
    for (const p of after) expect(before.map((b) => b.pid)).not.toContain(p.pid);
  }, 30_000);
});
