import { statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAlive, processesOfHome, sleep, TendHarness, type CliResult } from './harness.js';

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

/** Stops in about 150 ms on SIGINT: a scale-down takes measurable time, so the order of answers is the order of work. */
const SLOW_STOP = `process.on('SIGINT', () => setTimeout(() => process.exit(0), 150));\nsetInterval(() => {}, 1 << 30);\n`;

interface Finished extends CliResult {
  args: string[];
}

describe('50 CLI commands at once against one daemon', () => {
  it('each gets an answer, the daemon survives, operations on one app are serialised, each change following the one before', async () => {
    const app = tend.write('slow-stop.js', SLOW_STOP);
    // The files name only `web` (one project: either file may change it); `jobs` is started by hand, so applies
    // (without --prune) leave it alone.
    const eco = (version: number) =>
      tend.write(
        `eco-${version}.yml`,
        `project: load\napps:\n  - name: web\n    script: ${app}\n    exec_mode: fork\n    instances: 2\n    env:\n      VERSION: "${version}"\n`,
      );
    const files = [eco(1), eco(2)];
    await tend.ok(['apply', files[0]!]);
    // Not `-i 2`: on a .js file that means cluster mode, PM2's way.
    await tend.ok(['start', app, '--name', 'jobs']);
    await tend.ok(['scale', 'jobs', '2']);
    const daemon = tend.daemonPid()!;

    const commands: string[][] = [];
    for (let i = 0; i < 50; i++) {
      const kind = i % 5;
      if (kind === 0) commands.push(['restart', 'web']);
      else if (kind === 1) commands.push(['scale', 'jobs', String(1 + ((i * 7) % 4))]);
      else if (kind === 2) commands.push(['ls', '--json']);
      else if (kind === 3) commands.push(['apply', files[i % 2]!]);
      else commands.push(['scale', 'jobs', `+${1 + (i % 2)}`]);
    }
    const started = Date.now();
    const results: Finished[] = await Promise.all(
      commands.map((args) => tend.run(args, { timeoutMs: 170_000 }).then((r) => ({ ...r, args }))),
    );
    const elapsed = Date.now() - started;

    for (const r of results) {
      // An answer: success, or a clear error of tend's own (never a lost connection or a crash).
      if (r.code !== 0) expect(r.stderr, r.args.join(' ')).toMatch(/^tend: /);
      expect(r.stderr, r.args.join(' ')).not.toMatch(
        /DAEMON_UNREACHABLE|closed the connection|did not start|failed on/,
      );
    }
    expect(results.filter((r) => r.code === 0).length).toBe(50);
    expect(tend.daemonPid()).toBe(daemon);
    expect(isAlive(daemon)).toBe(true);

    const list = await tend.list();
    const byApp = (name: string) => list.filter((p) => p.name === name).sort((a, b) => a.instance - b.instance);
    for (const name of ['web', 'jobs']) {
      const processes = byApp(name);
      // Indexes 0..n-1, each instance online with one pid of its own.
      expect(processes.map((p) => p.instance)).toEqual([...processes.keys()]);
      expect(processes.every((p) => p.status === 'online')).toBe(true);
      expect(new Set(processes.map((p) => p.pid)).size).toBe(processes.length);
    }
    // No instance has a second live process: everything of this home is the daemon or a listed pid.
    const listed = new Set(list.map((p) => p.pid));
    expect(processesOfHome(tend.home).filter((pid) => pid !== daemon && !listed.has(pid))).toEqual([]);

    // The daemon's answers name each change it made ("jobs: 2 → 5 instances", `VERSION "1" → "2"`). Serialised
    // operations chain those changes from the first state to the last one; two that overlapped would both start
    // from the same count or version and break the chain. (The order the CLIs exit in is not the daemon's order.)
    const transitions = (verb: string, pattern: RegExp) =>
      results
        .filter((r) => r.args[0] === verb)
        .flatMap((r) => [...r.stdout.matchAll(pattern)].map((m) => [m[1]!, m[2]!] as const));
    const scaled = transitions('scale', /^jobs: (\d+) → (\d+) instances$/gm);
    expect(scaled.length).toBeGreaterThan(0);
    expectChain(scaled, '2', String(byApp('jobs').length));
    const shown = JSON.parse((await tend.ok(['show', 'web', '--json'])).stdout) as Array<{
      env: Record<string, { value: string }>;
    }>;
    expectChain(transitions('apply', /run\.env\.VERSION "(\d)" → "(\d)"/g), '1', shown[0]!.env.VERSION!.value);
    expect(byApp('web')).toHaveLength(2);
    console.log(
      `50 parallel commands: all answered in ${elapsed} ms; jobs ends with ${byApp('jobs').length} instances`,
    );
  }, 200_000);
});

/** The changes form one path from `first` to `last`: every value is left as often as it is reached, but for those two. */
function expectChain(changes: ReadonlyArray<readonly [string, string]>, first: string, last: string): void {
  const balance = new Map<string, number>();
  const add = (value: string, by: number) => balance.set(value, (balance.get(value) ?? 0) + by);
  add(first, 1);
  add(last, -1);
  for (const [from, to] of changes) {
    add(from, -1);
    add(to, 1);
  }
  expect(
    [...balance].filter(([, n]) => n !== 0),
    `changes ${JSON.stringify(changes)} from ${first} to ${last}`,
  ).toEqual([]);
}

/** Writes lines to stdout as fast as it can, up to 1.5 GB (bounded, for the disk's sake), then idles. */
const FLOOD = `const line = 'x'.repeat(120) + '\\n';
let written = 0;
function burst() {
  for (let i = 0; i < 10000; i++) process.stdout.write(line);
  written += 10000 * line.length;
  if (written < 1.5e9) setImmediate(burst);
}
burst();
setInterval(() => {}, 1 << 30);
`;

/** Forks short-lived children in a loop: at most 16 alive at once, 4000 in all (bounded), then idles. */
const FORKER = `const { spawn } = require('node:child_process');
let live = 0, total = 0;
function more() {
  while (live < 16 && total < 4000) {
    live++; total++;
    const child = spawn('/bin/sh', ['-c', 'exit 0'], { stdio: 'ignore' });
    child.on('exit', () => { live--; setImmediate(more); });
  }
}
more();
setInterval(() => {}, 1 << 30);
`;

/** Round trip of one `list` request on the raw socket: the daemon's own answer time, without the CLI's start. */
function rawListMs(socketPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(socketPath);
    let text = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify({ v: 1, id: 1, method: 'list' })}\n`));
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (text.endsWith('\n')) {
        socket.destroy();
        resolve(performance.now() - started);
      }
    });
    socket.on('error', reject);
  });
}

describe('noisy apps do not slow the daemon down', () => {
  it('an app flooding stdout and an app forking in a loop: tend ls still answers within 1 s', async () => {
    const flood = tend.write('flood.cjs', FLOOD);
    const forker = tend.write('forker.cjs', FORKER);
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: flood\n    script: ${flood}\n  - name: forker\n    script: ${forker}\n`,
    );
    await tend.ok(['apply', file]);
    await sleep(1000);
    const socketPath = join(tend.home, 'tend.sock');
    const cli: number[] = [];
    const raw: number[] = [];
    for (let i = 0; i < 8; i++) {
      const started = performance.now();
      const ls = await tend.run(['ls']);
      cli.push(performance.now() - started);
      expect(ls.code).toBe(0);
      expect(ls.stdout).toMatch(/flood .* online/);
      raw.push(await rawListMs(socketPath));
      await sleep(150);
    }
    const list = await tend.list();
    expect(list.every((p) => p.status === 'online' && p.restarts === 0)).toBe(true);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const floodBytes = statSync(list.find((p) => p.name === 'flood')!.pm_out_log_path!).size;
    // The flood really ran: tens of MB at least reached its log while we measured.
    expect(floodBytes).toBeGreaterThan(20e6);
    console.log(
      `under flood (${Math.round(floodBytes / 1e6)} MB written) + forker: tend ls ${cli.map(Math.round).join(', ')} ms; raw list ${raw.map(Math.round).join(', ')} ms`,
    );
    expect(Math.max(...raw)).toBeLessThan(1000);
    expect(median(cli)).toBeLessThan(1000);
  }, 60_000);
});
