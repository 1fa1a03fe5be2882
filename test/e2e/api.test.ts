// The programmatic API (`require('tend')`, `import tend from 'tend'`): a script written for PM2's API runs unchanged
// against tend, through the package's own `exports`, and sees what it sees under PM2.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, fixture, ROOT, TendHarness, type CliResult } from './harness.js';

const SCRIPT = join(ROOT, 'test/fixtures/pm2-api/uses-pm2.cjs');
const DIST = dirname(CLI);

let tend: TendHarness;
let project: string;

/** Runs node in the project folder, where `pm2` and `tend` resolve to the package under test (or to PM2). */
function node(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: project, env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 40_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/**
 * A project whose node_modules/<name> is this package as npm would install it: its package.json (so its `exports`
 * are what resolves) and its dist (the build under test).
 */
function installTendAs(name: string): void {
  const dir = join(project, 'node_modules', name);
  mkdirSync(dir, { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(DIST, join(dir, 'dist'));
}

beforeAll(() => {
  tend = new TendHarness();
  project = mkdtempSync(join(tmpdir(), 'tend-e2e-api-'));
});

afterAll(async () => {
  await tend.teardown();
  rmSync(project, { recursive: true, force: true });
});

describe('a PM2-style script against tend', () => {
  it('runs unchanged, and sees what it sees under PM2: start, list, bus (log, event, messages both ways), delete', async () => {
    const app = fixture('talks-over-ipc.js');
    // The script runs from the project folder: `require('pm2')` resolves from the requiring file's folder, and from
    // test/fixtures it would find the real PM2 of this repository both times.
    const script = join(project, 'uses-pm2.cjs');
    cpSync(SCRIPT, script);
    // Under PM2 itself first, with a home of its own, killed afterwards.
    mkdirSync(join(project, 'node_modules'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules/pm2'), join(project, 'node_modules/pm2'));
    const pm2Home = mkdtempSync(join(tmpdir(), 'tend-e2e-api-pm2-'));
    let underPm2: CliResult;
    try {
      // HOME too: PM2's programmatic API falls back to ~/.pm2 in places, and a test must never touch the user's PM2.
      underPm2 = await node([script, app], { PM2_HOME: pm2Home, HOME: pm2Home });
    } finally {
      await node([join(ROOT, 'node_modules/.bin/pm2'), 'kill'], { PM2_HOME: pm2Home, HOME: pm2Home });
      rmSync(pm2Home, { recursive: true, force: true });
    }
    expect(underPm2.code, underPm2.stderr).toBe(0);

    // Then the same file, `require('pm2')` resolving to this package.
    rmSync(join(project, 'node_modules/pm2'));
    installTendAs('pm2');
    // No PM2 home to fall back on: were this run to reach PM2 rather than tend, it would fail.
    const noPm2 = join(project, 'no-pm2-here');
    writeFileSync(noPm2, '');
    const underTend = await node([script, app], { TEND_HOME: tend.home, PM2_HOME: noPm2 });
    expect(underTend.code, underTend.stderr).toBe(0);
    expect(underTend.stdout).toBe(underPm2.stdout);
    expect(underTend.stdout.split('\n')).toEqual(
      expect.arrayContaining([
        'start: ok',
        'log:out app says hello',
        'process:event online',
        'process:msg {"hello":"from the app"}',
        'sendDataToProcessId: ok',
        'process:msg echo {"ping":1}',
        'list: 1 online',
        'delete: ok',
        'list after delete: 0',
      ]),
    );
    // The script ran against tend's daemon, which forgot the app when it was deleted, and is still up.
    expect(await tend.list()).toEqual([]);
  });

  it('ESM and CommonJS, each with its types: `import tend from "tend"`, named imports, `require("tend")`', async () => {
    installTendAs('tend');
    writeFileSync(
      join(project, 'esm.mjs'),
      `import tend, { list, start } from 'tend';
import * as named from 'tend';
const cjs = (await import('node:module')).createRequire(import.meta.url)('tend');
await tend.connect();
await start(${JSON.stringify(fixture('forever.js'))}, { name: 'esm-app' });
const processes = await list();
console.log(JSON.stringify({
  names: processes.map((p) => p.name),
  status: processes[0].pm2_env.status,
  sameApi: named.default === tend && typeof named.delete === 'function' && cjs.connect === tend.connect,
}));
await tend.delete('esm-app');
await tend.disconnect();
`,
    );
    const esm = await node(['esm.mjs'], { TEND_HOME: tend.home });
    expect(esm.code, esm.stderr).toBe(0);
    expect(JSON.parse(esm.stdout)).toEqual({ names: ['esm-app'], status: 'online', sameApi: true });

    // The declarations a TypeScript user gets through `exports`, for both formats; a wrong call does not compile.
    writeFileSync(
      join(project, 'uses.mts'),
      `import tend, { launchBus, type ProcessDescription } from 'tend';
const list: ProcessDescription[] = await tend.list();
const bus = await launchBus();
bus.on('log:out', (packet) => console.log(packet.data.trim(), packet.process.pm_id, list.length));
tend.start('app.js', { name: 'x', instances: 2 }, (err, procs) => console.log(err?.message, procs?.[0]?.pm2_env.status));
`,
    );
    writeFileSync(
      join(project, 'uses.cts'),
      `import tend = require('tend');
tend.connect((err) => {
  if (err) throw err;
  void tend.describe('api').then((d) => d[0]?.pm2_env.restart_time);
  tend.sendDataToProcessId({ id: 0, type: 'process:msg', data: { a: 1 }, topic: 't' }, () => undefined);
});
`,
    );
    writeFileSync(join(project, 'wrong.mts'), `import tend from 'tend';\nawait tend.stop({ not: 'a target' });\n`);
    const tsc = (files: string[]) =>
      node(
        [
          join(ROOT, 'node_modules/typescript/bin/tsc'),
          '--noEmit',
          '--strict',
          '--module',
          'nodenext',
          '--moduleResolution',
          'nodenext',
          '--target',
          'es2022',
          '--types',
          'node',
          '--typeRoots',
          join(ROOT, 'node_modules/@types'),
          ...files,
        ],
        {},
      );
    const good = await tsc(['uses.mts', 'uses.cts']);
    expect(good.code, good.stdout + good.stderr).toBe(0);
    const bad = await tsc(['wrong.mts']);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toMatch(/wrong\.mts.*not assignable/);
  });
});

describe('the bus', () => {
  it('streams status changes and log lines until it is closed, then lets the script exit', async () => {
    writeFileSync(
      join(project, 'bus.cjs'),
      `const tend = require('tend');
const seen = [];
tend.launchBus((err, bus) => {
  if (err) throw err;
  // Stopped once its first line came (on a loaded machine that may be well after the start answered), or after 10 s.
  let stopped = false;
  let timer;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    tend.stop('ticker', () => setTimeout(() => {
      bus.close();
      console.log(JSON.stringify(seen));
    }, 300));
  };
  bus.on('process:event', (p) => p.process.name === 'ticker' && seen.push(p.event + ':' + p.process.status));
  bus.on('log:*', (stream, p) => {
    if (p.process.name !== 'ticker') return;
    seen.push(stream + ':' + p.data.trim());
    if (stream === 'out') setTimeout(stop, 100);
  });
  tend.start(${JSON.stringify(fixture('forever.js'))}, { name: 'ticker' }, (err) => {
    if (err) throw err;
    timer = setTimeout(stop, 10_000);
  });
});
`,
    );
    // The script ends by itself (no process.exit): a closed bus holds no connection and follows no file.
    const result = await node(['bus.cjs'], { TEND_HOME: tend.home });
    expect(result.code, result.stderr).toBe(0);
    const seen = JSON.parse(result.stdout) as string[];
    expect(seen.filter((s) => !s.startsWith('out:'))).toEqual(['start:launching', 'online:online', 'stop:stopped']);
    expect(seen.filter((s) => s.startsWith('out:'))).toEqual([expect.stringMatching(/^out:forever started \d+$/)]);
    await tend.ok(['delete', 'ticker']);
  });

  it('an app with no IPC channel cannot be sent data, and the error says so', async () => {
    writeFileSync(
      join(project, 'nochannel.cjs'),
      `const tend = require('tend');
tend.start({ script: 'sleep', args: ['30'], name: 'no-ipc', interpreter: 'none' }, async (err, procs) => {
  if (err) throw err;
  try {
    await tend.sendDataToProcessId(procs[0].pm_id, { type: 'process:msg', data: 1, topic: 't' });
    console.log('sent');
  } catch (e) {
    console.log(e.message);
  }
  await tend.delete('no-ipc');
});
`,
    );
    const result = await node(['nochannel.cjs'], { TEND_HOME: tend.home });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/process \d+ \(no-ipc\) has no IPC channel to send data over/);
    expect(readFileSync(join(tend.home, 'daemon.log'), 'utf8')).not.toMatch(/request sendData failed/);
  });
});
