import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DashboardInfo } from '../../src/api/methods.js';
import { fixture, freePort, isAlive, sleep, TendHarness } from './harness.js';

let tend: TendHarness;
let blocker: Server | null = null;

beforeEach(async () => {
  tend = new TendHarness();
  const file = tend.write(
    'eco.yml',
    `apps:\n  - name: ticker\n    script: ${fixture('forever.js')}\n  - name: other\n    script: ${fixture('forever.js')}\n`,
  );
  await tend.ok(['apply', file]);
});
afterEach(async () => {
  await new Promise((r) => (blocker ? blocker.close(r) : r(undefined)));
  blocker = null;
  await tend.teardown();
});

async function open(port: number): Promise<DashboardInfo> {
  return JSON.parse((await tend.ok(['dashboard', '--port', String(port), '--json'])).stdout) as DashboardInfo;
}

async function killDaemonHard(): Promise<void> {
  const pid = tend.daemonPid();
  expect(pid).not.toBeNull();
  process.kill(pid!, 'SIGKILL');
  while (isAlive(pid!)) await sleep(10);
}

async function appNames(url: string, token: string): Promise<string[]> {
  const res = await fetch(`${url}api/processes`, { headers: { Authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { processes: Array<{ name: string }> };
  return body.processes.map((p) => p.name).sort();
}

/** The killed daemon's sockets close with its last thread, a moment after its pid looks dead. */
async function listenWhenFree(port: number): Promise<Server> {
  for (let attempt = 0; ; attempt++) {
    const server = createServer();
    const error = await new Promise<Error | null>((r) => {
      server.once('error', r);
      server.listen(port, '127.0.0.1', () => r(null));
    });
    if (!error) return server;
    if (attempt >= 40) throw error;
    await sleep(50);
  }
}

/** An action on a process that does not exist: 404 once the token is accepted, 401 when it is not. */
async function actionStatus(url: string, token: string): Promise<number> {
  return (
    await fetch(`${url}api/processes/9999/restart`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } })
  ).status;
}

describe('the web dashboard across daemon restarts', () => {
  it('comes back on the same address with the same token after kill -9, and not once stopped', async () => {
    const port = await freePort();
    const dash = await open(port);
    expect(dash.url).toBe(`http://127.0.0.1:${port}/`);
    const before = await tend.list();

    await killDaemonHard();
    await expect(fetch(dash.url)).rejects.toThrow();
    const ping = await tend.ok(['ping']);
    expect(ping.stderr).not.toContain('warning');

    expect(await appNames(dash.url, dash.token)).toEqual(['other', 'ticker']);
    expect(await actionStatus(dash.url, dash.token)).toBe(404);
    expect(await actionStatus(dash.url, 'not-the-token-at-all')).toBe(401);
    // The apps were adopted, not restarted, and `tend dashboard` finds the same server serving.
    expect((await tend.list()).map((p) => p.pid)).toEqual(before.map((p) => p.pid));
    const again = await open(port);
    expect(again).toMatchObject({ url: dash.url, token: dash.token, reused: true });

    expect((await tend.ok(['dashboard', '--stop'])).stdout).toBe('dashboard stopped\n');
    await tend.ok(['update']);
    await expect(fetch(dash.url)).rejects.toThrow();
  });

  it('comes back after `tend kill` and any command; `--stop` with no daemon running forgets it', async () => {
    const port = await freePort();
    const dash = await open(port);
    await tend.ok(['kill']);
    await expect(fetch(dash.url)).rejects.toThrow();
    await tend.ok(['ls']);
    expect((await fetch(dash.url)).status).toBe(200);

    await tend.ok(['kill']);
    expect((await tend.ok(['dashboard', '--stop'])).stdout).toBe('dashboard stopped\n');
    await tend.ok(['ping']);
    await expect(fetch(dash.url)).rejects.toThrow();
    expect((await tend.ok(['dashboard', '--stop'])).stdout).toBe('no dashboard was running\n');
  });

  it('a port taken meanwhile does not keep the daemon from starting: the next command warns and the apps are adopted', async () => {
    const port = await freePort();
    await open(port);
    const before = await tend.list();
    await killDaemonHard();
    blocker = await listenWhenFree(port);

    const ping = await tend.run(['ping']);
    expect(ping.code).toBe(0);
    expect(ping.stderr).toContain(
      `tend: warning: the dashboard (127.0.0.1:${port}) was not served again: port ${port} on 127.0.0.1 is in use`,
    );
    expect(readFileSync(join(tend.home, 'daemon.log'), 'utf8')).toContain(
      `the dashboard (127.0.0.1:${port}) was not served again`,
    );
    const after = await tend.list();
    expect(after.map((p) => [p.name, p.pid, p.status])).toEqual(before.map((p) => [p.name, p.pid, 'online']));

    // Once the port is free, asking again serves it there.
    await new Promise((r) => blocker!.close(r));
    blocker = null;
    const dash = await open(port);
    expect(dash.reused).toBe(false);
    expect((await fetch(dash.url)).status).toBe(200);
  });
});
