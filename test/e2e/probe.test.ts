import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DashboardInfo } from '../../src/api/methods.js';
import { CLI, fixture, freePort, isAlive, ROOT, sleep, TendHarness, type ListedProcess } from './harness.js';

type Probed = ListedProcess & { metrics: Record<string, number> | null };

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
  installTendPackage(tend.work);
});
afterEach(async () => {
  await tend.teardown();
});

/**
 * Installs the build under test as `node_modules/tend` in the work folder, as `npm install tend` would:
 * the real package.json (its `exports` map) and the dist folder, so `tend/probe` resolves through the map.
 */
function installTendPackage(work: string): void {
  const pkg = join(work, 'node_modules', 'tend');
  mkdirSync(pkg, { recursive: true });
  copyFileSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(dirname(CLI), join(pkg, 'dist'));
}

/** A fixture copied next to that node_modules (the repository's own package.json would resolve `tend` to the repository's dist). */
function app(name: string, as: string): string {
  const file = join(tend.work, as);
  copyFileSync(fixture(name), file);
  return file;
}

async function probed(): Promise<Probed[]> {
  return (await tend.list()) as Probed[];
}

async function waitForMetrics(
  predicate: (list: Probed[]) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<Probed[]> {
  return (await tend.waitFor((l) => predicate(l as Probed[]), timeoutMs, what)) as Probed[];
}

function run(file: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [file],
      { cwd: tend.work, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 10_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('the in-app probe', () => {
  it('tend show displays event-loop delay, heap and handles of a Node app, with no change to the app', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: busy\n    script: ${fixture('probe-blocks-loop.js')}\n  - name: sh\n    script: ${tend.write('loop.sh', 'while true; do sleep 1; done\n')}\n`,
    );
    await tend.ok(['apply', file]);
    // The app blocks its loop 50 ms every 200 ms: the probe must see it.
    const list = await waitForMetrics(
      (l) => (l.find((p) => p.name === 'busy')?.metrics?.event_loop_delay_max_ms ?? 0) >= 30,
      'a large event-loop delay',
    );
    const busy = list.find((p) => p.name === 'busy')!;
    expect(busy.metrics).toMatchObject({
      active_handles: expect.any(Number),
      heap_used_bytes: expect.any(Number),
      heap_total_bytes: expect.any(Number),
      gc_ms: expect.any(Number),
    });
    expect(busy.metrics!.heap_used_bytes).toBeGreaterThan(1_000_000);
    expect(busy.metrics!.active_handles).toBeGreaterThanOrEqual(1);
    expect(list.find((p) => p.name === 'sh')!.metrics).toBeNull();

    const show = (await tend.ok(['show', 'busy'])).stdout;
    expect(show).toMatch(/^metrics$/m);
    expect(show).toMatch(/^ {2}event loop delay +p50 [\d.]+ m?s, p99 [\d.]+ m?s, max [\d.]+ m?s$/m);
    expect(show).toMatch(/^ {2}heap +[\d.]+ MiB used of [\d.]+ MiB$/m);
    expect(show).toMatch(/^ {2}active handles +\d+$/m);
    expect((await tend.ok(['show', 'sh'])).stdout).toContain('none reported');
    // The app's own command line is what it was; the probe comes in through node's flags.
    const argv = readFileSync(`/proc/${busy.pid}/cmdline`, 'utf8').split('\0');
    expect(argv.slice(-2, -1)).toEqual([fixture('probe-blocks-loop.js')]);
    // After the IPC guard every fork-mode Node app preloads (src/probe/preload-for.ts).
    expect(argv.filter((_arg, i) => argv[i - 1] === '--require').map((f) => f.split('/').at(-1))).toEqual([
      'ipc-guard.cjs',
      'probe.cjs',
    ]);
  });

  it('a custom counter appears in tend show and in /metrics', async () => {
    const port = await freePort();
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: web\n    script: ${app('probe-http.cjs', 'web.cjs')}\n    env:\n      PORT: ${port}\n`,
    );
    await tend.ok(['apply', file]);
    for (let i = 0; i < 7; i++) await (await fetch(`http://127.0.0.1:${port}/`)).text();
    await waitForMetrics((l) => l[0]?.metrics?.['custom.requests'] === 7, 'the counter to reach 7');
    const show = (await tend.ok(['show', 'web'])).stdout;
    expect(show).toMatch(/^ {2}requests +7$/m);
    expect(show).toMatch(/^ {2}actions +whoami, fail, hang/m);

    const dash = JSON.parse((await tend.ok(['dashboard', '--port', '0', '--json'])).stdout) as DashboardInfo;
    const scrape = await fetch(`${dash.url}metrics`, { headers: { Authorization: `Bearer ${dash.metricsToken}` } });
    const families = parsePrometheusTextFormat(await scrape.text());
    const requests = families.find((f) => f.name === 'tend_custom_requests');
    expect(requests?.metrics).toEqual([{ labels: { app: 'web', instance: '0', id: '0' }, value: '7' }]);
    const loop = families.find((f) => f.name === 'tend_app_event_loop_delay_seconds');
    expect(loop?.metrics.map((m) => m.labels?.quantile)).toEqual(['0.5', '0.99', '1']);
    expect(Number(families.find((f) => f.name === 'tend_app_heap_used_bytes')?.metrics[0]?.value)).toBeGreaterThan(
      1_000_000,
    );
  });

  it('tend trigger runs an action in every instance of a cluster app and prints each answer', async () => {
    const port = await freePort();
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: web\n    script: ${app('probe-http.cjs', 'web.cjs')}\n    exec_mode: cluster\n    instances: 2\n    env:\n      PORT: ${port}\n`,
    );
    await tend.ok(['apply', file]);
    const list = await waitForMetrics((l) => l.length === 2 && l.every((p) => p.metrics !== null), 'both probes');
    const answers = await tend.ok(['trigger', 'web', 'whoami', 'hi there']);
    const lines = answers.stdout.trim().split('\n');
    expect(lines).toEqual(
      list.map(
        (p) =>
          `web[${p.instance}] (id ${p.id}, pid ${p.pid}): {"instance":${p.instance},"pid":${p.pid},"arg":"hi there"}`,
      ),
    );

    const failed = await tend.run(['trigger', 'web', 'fail']);
    expect(failed.code).toBe(1);
    expect(failed.stdout.trim().split('\n')).toEqual(
      list.map((p) => `web[${p.instance}] (id ${p.id}, pid ${p.pid}): error: this action always fails`),
    );
    const missing = await tend.run(['trigger', 'web', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('error: no action named `nope`; this process has whoami, fail, hang');

    const started = Date.now();
    const hung = await tend.run(['trigger', 'web', 'hang', '--json']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4900);
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(hung.code).toBe(1);
    expect((JSON.parse(hung.stdout) as Array<{ reason: string }>).map((a) => a.reason)).toEqual(['timeout', 'timeout']);
  });

  it('tend trigger right after a start reaches the app, although its probe starts a second later', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: web\n    script: ${app('probe-http.cjs', 'web.cjs')}\n    env:\n      PORT: 0\n`,
    );
    await tend.ok(['apply', file]);
    const [web] = await tend.list();
    const answer = await tend.ok(['trigger', 'web', 'whoami', 'early']);
    expect(answer.stdout.trim()).toBe(
      `web[0] (id ${web!.id}, pid ${web!.pid}): {"instance":0,"pid":${web!.pid},"arg":"early"}`,
    );
  });

  it('an app that imports tend/probe runs (and exits) normally outside tend, from ESM and CommonJS', async () => {
    const esm = await run(app('probe-esm.js', 'tool.mjs'), { RUN_MS: '300' });
    expect(esm).toMatchObject({ code: 0, stderr: '' });
    expect(esm.stdout).toMatch(/^probed: false\ndone after \d+ ticks\n$/);
    const cjs = await run(
      tend.write(
        'tool.cjs',
        "const p = require('tend/probe');\np.counter('c').inc();\np.histogram('h').observe(1);\np.metric('g', () => 1);\np.action('a', () => 1);\nconsole.log(p.isProbed());\n",
      ),
      {},
    );
    expect(cjs).toEqual({ code: 0, stdout: 'false\n', stderr: '' });
  });

  it('killing the daemon does not crash a probed app, and its metrics resume when a daemon comes back', async () => {
    const file = tend.write('eco.yml', `apps:\n  - name: ticker\n    script: ${app('probe-esm.js', 'ticker.mjs')}\n`);
    await tend.ok(['apply', file]);
    const [before] = await waitForMetrics((l) => (l[0]?.metrics?.['custom.ticks'] ?? 0) > 0, 'the first report');
    const daemon = tend.daemonPid()!;
    process.kill(daemon, 'SIGKILL');
    // Long enough for several failed reconnections.
    await sleep(2500);
    expect(isAlive(before!.pid!)).toBe(true);
    const [after] = await waitForMetrics(
      (l) => (l[0]?.metrics?.['custom.ticks'] ?? 0) > (before!.metrics!['custom.ticks'] ?? 0) + 20,
      'metrics from the new daemon',
      10_000,
    );
    expect(tend.daemonPid()).not.toBe(daemon);
    expect(after!.pid).toBe(before!.pid);
    expect(after!.restarts).toBe(0);
    expect(readFileSync(after!.pm_err_log_path!, 'utf8')).toBe('');
  });

  it("probe: false (or PM2's pmx: false) starts a Node app without it", async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: plain\n    script: ${fixture('probe-blocks-loop.js')}\n    probe: false\n  - name: pm2\n    script: ${fixture('probe-blocks-loop.js')}\n    pmx: false\n`,
    );
    await tend.ok(['apply', file]);
    // Right after the start, a trigger does not wait for a probe that will never come (one that will, it waits for).
    const started = Date.now();
    const trigger = await tend.run(['trigger', 'plain', 'anything']);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(trigger.code).toBe(1);
    expect(trigger.stdout).toContain('error: no probe is connected');
    await sleep(1500);
    for (const p of await probed()) {
      expect(p.metrics, p.name).toBeNull();
      // Only the IPC guard every fork-mode Node app preloads, no probe.
      const preloads = readFileSync(`/proc/${p.pid}/cmdline`, 'utf8')
        .split('\0')
        .filter((arg) => arg.endsWith('.cjs'));
      expect(
        preloads.map((f) => f.split('/').at(-1)),
        p.name,
      ).toEqual(['ipc-guard.cjs']);
    }
  });
});
