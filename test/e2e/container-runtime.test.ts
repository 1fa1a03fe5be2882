// `tend-runtime FILE` as a container runs it: PID 1 of a PID namespace of its own (unshare), no Docker needed.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, processesOfHome, ROOT, sleep, TendHarness, until } from './harness.js';

const RUNTIME = join(process.env.TEND_DIST ? resolve(process.env.TEND_DIST) : join(ROOT, 'dist'), 'runtime.cjs');
const canUnshare = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status === 0;

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; ms: number }>;
  /** Host pid of the namespace's PID 1 (tend-runtime, or its hand-over to tini). */
  init: () => number;
}

let tend: TendHarness;
const runs: Run[] = [];

/** Starts `unshare --pid --fork --mount-proc node dist/runtime.cjs ARGS` with the harness's home. */
function runtime(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, RUNTIME, ...args], {
    cwd: tend.work,
    env: { ...process.env, TEND_HOME: tend.home, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    err += d;
  });
  const started = Date.now();
  const exited = new Promise<{ code: number | null; ms: number }>((done) =>
    child.once('exit', (code) => done({ code, ms: Date.now() - started })),
  );
  const init = (): number => Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim());
  const run = { child, stdout: () => out, stderr: () => err, exited, init };
  runs.push(run);
  return run;
}

/** Every process of the namespace, seen from here: the descendants of unshare, with their state letter. */
function namespaceTree(root: number): Array<{ pid: number; state: string }> {
  const byParent = new Map<number, Array<{ pid: number; state: string }>>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const list = byParent.get(Number(ppid)) ?? [];
      list.push({ pid: Number(entry), state: state! });
      byParent.set(Number(ppid), list);
    } catch {
      // Gone.
    }
  }
  const found: Array<{ pid: number; state: string }> = [];
  const walk = (pid: number): void => {
    for (const c of byParent.get(pid) ?? []) {
      found.push(c);
      walk(c.pid);
    }
  };
  walk(root);
  return found;
}

beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  for (const run of runs.splice(0)) {
    // SIGKILL to a PID namespace's init ends every process in it.
    try {
      process.kill(run.init(), 'SIGKILL');
    } catch {
      // Already gone.
    }
    run.child.kill('SIGKILL');
    await run.exited;
  }
  await tend.teardown();
});

describe.skipIf(!canUnshare)('tend-runtime as PID 1 of a PID namespace', () => {
  it("prints each app's lines on its own stdout and stderr, prefixed with the app's name, whole", async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: web\n    script: ${fixture('out-and-err.js')}\n  - name: worker-long-name\n    script: ${fixture('ticks.js')}\n    instances: 2\n    exec_mode: fork\n`,
    );
    const run = runtime([file]);
    await until(() => (run.stdout().match(/^worker-long-name\[1\] \| \d+ 3$/m) ? true : undefined), 20_000, 'ticks');
    await until(() => (run.stdout().includes('out 3') ? true : undefined), 20_000, 'web out');
    const lines = run.stdout().split('\n').slice(0, -1);
    // Every line is one of an app, whole: a prefix padded to one width, then what the app wrote.
    for (const line of lines) expect(line).toMatch(/^(web {17}\| out \d+|worker-long-name\[[01]\] \| \d+ \d+)$/);
    expect(run.stderr()).toMatch(/^web {17}\| err 1$/m);
    expect(run.stdout()).not.toContain('err 1');
  });

  it('--json prints one JSON object per line', async () => {
    const file = tend.write('eco.yml', `apps:\n  - name: web\n    script: ${fixture('out-and-err.js')}\n`);
    const run = runtime(['--json', file]);
    await until(() => (run.stdout().includes('"out 3"') ? true : undefined), 20_000, 'three lines');
    const objects = run
      .stdout()
      .split('\n')
      .slice(0, -1)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(objects[0]).toMatchObject({ app: 'web', instance: 0, stream: 'out', message: 'out 1' });
    expect(typeof objects[0]!.timestamp).toBe('string');
  });

  it('SIGTERM reaches every app, and it exits 0 within kill_timeout when an app ignores it', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: polite\n    script: ${fixture('says-which-signal.js')}\n    instances: 2\n    exec_mode: fork\n  - name: stubborn\n    script: ${fixture('ignores-stop-signals.js')}\n    kill_timeout: 1500\n`,
    );
    const run = runtime([file]);
    await until(() => (run.stdout().match(/ready/g)?.length === 3 ? true : undefined), 20_000, 'three apps ready');
    const pids = processesOfHome(tend.home);
    const sent = Date.now();
    process.kill(run.init(), 'SIGTERM');
    const { code } = await run.exited;
    const took = Date.now() - sent;
    expect(code).toBe(0);
    expect(run.stdout()).toMatch(/^polite\[0\] \| got SIGTERM$/m);
    expect(run.stdout()).toMatch(/^polite\[1\] \| got SIGTERM$/m);
    expect(run.stdout()).toMatch(/^stubborn +\| ignoring SIGTERM$/m);
    // The stubborn app had its kill_timeout, then SIGKILL; nothing waits much longer.
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(1500 + 2500);
    expect(pids.length).toBeGreaterThan(0);
    expect(processesOfHome(tend.home)).toEqual([]);
    // Nothing of the run is left in the home: no socket, no pid file, no FIFO.
    expect(existsSync(join(tend.home, 'tend.sock'))).toBe(false);
    expect(existsSync(join(tend.home, 'daemon.pid'))).toBe(false);
    expect(readdirSync(join(tend.home, 'console'))).toEqual([]);
  });

  it('reaps the orphan an app leaves behind: no zombie in the namespace', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: orphaner\n    script: ${fixture('leaves-an-orphan.cjs')}\n    env:\n      ORPHAN_SECONDS: "0.2"\n`,
    );
    const run = runtime([file]);
    await until(() => (run.stdout().includes('orphan ') ? true : undefined), 20_000, 'the orphan');
    // The orphan ends 0.2 s after it started; reparented and not reaped, it would stay a zombie.
    await sleep(1000);
    const tree = namespaceTree(run.child.pid!);
    expect(tree.length).toBeGreaterThan(0);
    expect(tree.filter((p) => p.state === 'Z')).toEqual([]);
  });

  it('exits 1 on its own once an app is errored (max_restarts reached)', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: crasher\n    script: ${fixture('crash-immediately.js')}\n    max_restarts: 2\n    restart_delay: 50\n`,
    );
    const run = runtime([file]);
    const { code } = await run.exited;
    expect(code).toBe(1);
    expect(run.stderr()).toContain('crasher | crashing now');
    expect(processesOfHome(tend.home)).toEqual([]);
  });

  it('exits 0 on its own once every app has ended cleanly with autorestart off; --no-auto-exit stays', async () => {
    const eco = `apps:\n  - name: job\n    script: ${fixture('crash-after.js')}\n    autorestart: false\n    env:\n      EXIT_CODE: "0"\n      CRASH_AFTER_MS: "300"\n`;
    const file = tend.write('eco.yml', eco);
    const run = runtime([file]);
    const { code } = await run.exited;
    expect(code).toBe(0);
    expect(run.stdout()).toContain('job | will exit with 0 after 300 ms');

    const staying = runtime(['--no-auto-exit', file]);
    await until(() => (staying.stdout().includes('will exit') ? true : undefined), 20_000, 'the job');
    await sleep(1500);
    expect(staying.child.exitCode).toBe(null);
    const [job] = await tend.list();
    expect(job?.status).toBe('stopped');
  });

  it('a bad file: exits 1 naming file:line:column and the key, and starts nothing', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: web\n    script: ${fixture('forever.js')}\n    instancez: 2\n`,
    );
    const run = runtime([file]);
    const { code } = await run.exited;
    expect(code).toBe(1);
    expect(run.stderr()).toContain(`${file}:4:5`);
    expect(run.stderr()).toContain('instancez');
    expect(processesOfHome(tend.home)).toEqual([]);
    expect(existsSync(join(tend.home, 'tend.sock'))).toBe(false);
  });

  it('refuses to start on a home a tend daemon already serves, and starts nothing', async () => {
    await tend.ok(['ping']);
    const file = tend.write('eco.yml', `apps:\n  - name: web\n    script: ${fixture('forever.js')}\n`);
    const run = runtime([file]);
    const { code } = await run.exited;
    expect(code).toBe(1);
    expect(run.stderr()).toContain(`a tend daemon already serves ${join(tend.home, 'tend.sock')}`);
    expect(await tend.list()).toEqual([]);
  });

  it('`tend ls` from another shell lists its apps; PORT and --env reach them', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: web\n    script: ${fixture('prints-env.js')}\n    env:\n      GREETING: plain\n    env_production:\n      GREETING: prod\n  - name: other\n    script: ${fixture('forever.js')}\n`,
    );
    const run = runtime(['--env', 'production', '--only', 'web', file], { PORT: '4567' });
    await until(() => (run.stdout().includes('GREETING') ? true : undefined), 20_000, 'the env');
    expect(run.stdout()).toContain('"GREETING":"prod"');
    expect(run.stdout()).toContain('"PORT":"4567"');
    const list = await tend.list();
    expect(list.map((p) => [p.name, p.status])).toEqual([['web', 'online']]);
  });
  it('starts each app once, before its daemon is set up, and the daemon takes that very process over', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: web\n    script: ${fixture('forever.js')}\n    instances: 2\n    exec_mode: fork\n  - name: api\n    script: ${fixture('says-which-signal.js')}\n`,
    );
    const run = runtime([file]);
    await until(() => (run.stdout().match(/forever started/g)?.length === 2 ? true : undefined), 20_000, 'two webs');
    await until(() => (run.stdout().includes('api') ? true : undefined), 20_000, 'the api');
    const printed = [...run.stdout().matchAll(/^(web\[[01]\]) +\| forever started (\d+)$/gm)].map((m) => [
      m[1],
      Number(m[2]),
    ]);
    const listed = await tend.waitFor((list) => list.every((p) => p.status === 'online'), 20_000, 'every app online');
    // The pid `tend ls` shows is the one that printed: no second start, nothing spawned beside it.
    const webs = listed.filter((p) => p.name === 'web').map((p) => [`web[${p.instance}]`, p.pid]);
    expect(webs.sort()).toEqual(printed.sort());
    expect(run.stdout().match(/forever started/g)).toHaveLength(2);
    expect(run.stdout().match(/ready/g)).toHaveLength(1);
    expect(run.stderr()).not.toContain('tend-runtime: ended');
    // Supervised as any other: the daemon stops the very process it took over.
    process.kill(run.init(), 'SIGTERM');
    const { code } = await run.exited;
    expect(code).toBe(0);
    expect(run.stdout()).toMatch(/^api +\| got SIGTERM$/m);
    expect(processesOfHome(tend.home)).toEqual([]);
  });

  it('a bad file in a home that does not exist yet: exits 1 and leaves no home behind', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: web\n    script: ${fixture('forever.js')}\n    instancez: 2\n`,
    );
    const home = join(tend.work, 'new-home');
    const run = runtime([file], { TEND_HOME: home });
    const { code } = await run.exited;
    expect(code).toBe(1);
    expect(run.stderr()).toContain(`${file}:4:5`);
    expect(existsSync(home)).toBe(false);
  });
});
