import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, isAlive, sleep, TendHarness } from './harness.js';

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

describe('supervision', () => {
  it('a crashed app is started again', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: c\n    script: ${fixture('crash-after.js')}\n    env:\n      CRASH_AFTER_MS: 700\n    min_uptime: 100\n`,
    );
    await tend.ok(['apply', file]);
    const [first] = await tend.list();
    const list = await tend.waitFor((l) => l[0]!.restarts >= 1 && l[0]!.status === 'online', 10_000, 'a restart');
    expect(list[0]!.pid).not.toBe(first!.pid);
    expect(list[0]!.restart_reason).toBe('crash');
    expect(list[0]!.exit_code).toBe(1);
  });

  it('a crash loop ends errored after max_restarts, with the reason shown', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: loop\n    script: ${fixture('crash-immediately.js')}\n    max_restarts: 3\n    min_uptime: 1000\n`,
    );
    await tend.run(['apply', file]);
    const list = await tend.waitFor((l) => l[0]?.status === 'errored', 10_000, 'errored');
    // Three runs, each shorter than min_uptime: restarted twice, then given up on.
    expect(list[0]!.restarts).toBe(2);
    const show = await tend.ok(['show', 'loop']);
    expect(show.stdout).toMatch(/crashed 3 times/);
    expect(show.stdout).toMatch(/state changes[\s\S]*launching[\s\S]*online[\s\S]*errored/);
  });

  it('exponential backoff spaces the restarts 100, 150, 225 ms apart', async () => {
    const times = join(tend.work, 'starts.txt');
    const script = tend.write(
      'boot-then-crash.cjs',
      `require('fs').appendFileSync(${JSON.stringify(times)}, Date.now() + '\\n'); process.exit(1);\n`,
    );
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: b\n    script: ${script}\n    exp_backoff_restart_delay: 100\n    max_restarts: 50\n`,
    );
    await tend.run(['apply', file]);
    await tend.waitFor((l) => l[0]!.restarts >= 4, 10_000, '4 restarts');
    await tend.ok(['stop', 'b']);
    const starts = readFileSync(times, 'utf8').trim().split('\n').map(Number);
    const gaps = starts.slice(1, 4).map((t, i) => t - starts[i]!);
    // Each gap is the backoff plus node's boot time, never shorter than the delay: 225 ms is more than the first delay
    // and a boot, so the delay grew. How much a boot takes varies by tens of ms on a busy machine, so the growth is not
    // asserted from differences of gaps here; the exact delays are unit-tested with a simulated clock (backoff.test.ts).
    expect(gaps[0]).toBeGreaterThanOrEqual(100);
    expect(gaps[1]).toBeGreaterThanOrEqual(150);
    expect(gaps[2]).toBeGreaterThanOrEqual(225);
  });

  it('an app that ignores SIGINT is SIGKILLed after kill_timeout, and its child goes too', async () => {
    const childPidFile = join(tend.work, 'child.pid');
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: stubborn\n    script: ${fixture('ignores-sigint.js')}\n    kill_timeout: 500\n  - name: parent\n    script: ${fixture('spawns-child.js')}\n    env:\n      CHILD_PID_FILE: ${childPidFile}\n`,
    );
    await tend.ok(['apply', file]);
    const list = await tend.list();
    const stubborn = list.find((p) => p.name === 'stubborn')!;
    const parent = list.find((p) => p.name === 'parent')!;
    const childPid = Number(readFileSync(childPidFile, 'utf8'));
    expect(isAlive(childPid)).toBe(true);
    const started = Date.now();
    await tend.ok(['stop', 'stubborn', 'parent']);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(500);
    expect(isAlive(stubborn.pid!)).toBe(false);
    expect(isAlive(parent.pid!)).toBe(false);
    expect(isAlive(childPid)).toBe(false);
    expect(readFileSync(stubborn.pm_out_log_path!, 'utf8')).toContain('ignored SIGINT');
    const after = await tend.list();
    expect(after.map((p) => p.status)).toEqual(['stopped', 'stopped']);
  });

  it('an app over max_memory_restart is restarted within 2 s of crossing it', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: leak\n    script: ${fixture('leaks-memory.js')}\n    max_memory_restart: 120M\n    env:\n      LEAK_MB_PER_S: 60\n      LEAK_CAP_MB: 400\n`,
    );
    await tend.ok(['apply', file]);
    const list = await tend.waitFor((l) => l[0]!.restarts >= 1, 15_000, 'a memory restart');
    expect(list[0]!.restart_reason).toBe('memory');
  });

  it('a change to a watched file restarts the app once per burst; its own logs do not', async () => {
    tend.write('src/app.cjs', 'setInterval(() => console.log("tick"), 50);\n');
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: watched\n    script: src/app.cjs\n    cwd: ${tend.work}\n    watch: [src]\n    out_file: ${join(tend.work, 'src', 'out.log')}\n`,
    );
    await tend.ok(['apply', file]);
    await sleep(700);
    expect((await tend.list())[0]!.restarts).toBe(0);
    for (let i = 0; i < 5; i++) tend.write(`src/file${i}.txt`, String(i));
    const list = await tend.waitFor((l) => l[0]!.restarts >= 1 && l[0]!.status === 'online', 10_000, 'a watch restart');
    expect(list[0]!.restart_reason).toBe('watch');
    await sleep(1000);
    expect((await tend.list())[0]!.restarts).toBe(1);
  });

  it('start/stop/restart/delete by name and id, as PM2', async () => {
    const started = await tend.ok([
      'start',
      fixture('forever.js'),
      '--name',
      'f',
      '-i',
      '2',
      '--kill-signal',
      'SIGTERM',
    ]);
    expect(started.stdout).toContain('f');
    let list = await tend.list();
    expect(list.map((p) => [p.name, p.status])).toEqual([
      ['f', 'online'],
      ['f', 'online'],
    ]);
    // `-i` on a Node script is cluster mode, as in PM2.
    expect((await tend.ok(['ls'])).stdout).toMatch(/f\[1\]\s+cluster/);
    await tend.ok(['stop', String(list[1]!.id)]);
    list = await tend.list();
    expect(list.map((p) => p.status)).toEqual(['online', 'stopped']);
    await tend.ok(['restart', 'f']);
    list = await tend.list();
    expect(list.map((p) => p.status)).toEqual(['online', 'online']);
    await tend.ok(['scale', 'f', '+1']);
    expect((await tend.list()).length).toBe(3);
    await tend.ok(['delete', 'f']);
    expect(await tend.list()).toEqual([]);
    expect(existsSync(tend.home)).toBe(true);
  });
});
