import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, isAlive, sleep, TendHarness, until } from './harness.js';

// The files PM2's flags name (issue #16, section 2), the IPC channel every Node app has, and `reloadLogs` (section 3).

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

type Listed = {
  name: string;
  instance: number;
  pid: number | null;
  pm_log_path?: string | null;
  pm_pid_path?: string | null;
};
const listed = async () => (await tend.list()) as unknown as Listed[];
const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);

describe('log_file and pid_file', () => {
  it('-l writes stdout and stderr both, whole lines, to <name>.log, shown as pm_log_path', async () => {
    await tend.ok(['start', fixture('out-and-err.js'), '--name', 'both', '-l']);
    const [app] = await listed();
    expect(app?.pm_log_path).toBe(join(tend.home, 'logs', 'both.log'));
    const log = app!.pm_log_path!;
    await until(() => lines(log).length >= 10, 10_000, 'lines in the combined file');
    const got = lines(log);
    expect(got.every((l) => /^(out|err) \d+$/.test(l))).toBe(true);
    expect(got.some((l) => l.startsWith('out'))).toBe(true);
    expect(got.some((l) => l.startsWith('err'))).toBe(true);
    // The usual files still get their own stream.
    expect(lines(join(tend.home, 'logs', 'both-out.log')).every((l) => l.startsWith('out'))).toBe(true);
  });

  it('log_file in a cluster app (merge_logs false) is one file per instance, suffixed -<instance>', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: web\n    script: ${fixture('http-server.js')}\n    instances: 2\n    log_file: combined.log\n`,
    );
    await tend.ok(['start', file]);
    const paths = (await listed()).map((p) => p.pm_log_path);
    expect(paths).toEqual([join(tend.work, 'combined-0.log'), join(tend.work, 'combined-1.log')]);
    for (const path of paths) await until(() => lines(path!).some((l) => l.startsWith('listening')), 10_000, path!);
  });

  it('-p writes each instance its pid file, removed when it stops', async () => {
    await tend.ok(['start', fixture('forever.js'), '--name', 'f', '-i', '2', '-x', '-p', 'run/f.pid']);
    const apps = await listed();
    expect(apps.map((p) => p.pm_pid_path)).toEqual([join(tend.work, 'run/f-0.pid'), join(tend.work, 'run/f-1.pid')]);
    for (const p of apps) expect(Number(readFileSync(p.pm_pid_path!, 'utf8'))).toBe(p.pid);
    await tend.ok(['restart', 'f']);
    for (const p of await listed()) expect(Number(readFileSync(p.pm_pid_path!, 'utf8'))).toBe(p.pid);
    await tend.ok(['stop', 'f']);
    expect(apps.map((p) => existsSync(p.pm_pid_path!))).toEqual([false, false]);
  });
});

describe('the IPC channel of a Node app', () => {
  it('process.send exists, and calling it after the daemon died (kill -9) does not crash the app', async () => {
    await tend.ok(['start', fixture('sends-on-sigusr2.js'), '--name', 's']);
    const [app] = await tend.list();
    const out = app!.pm_out_log_path!;
    await until(() => lines(out).includes('send function'), 5000, 'the app saying process.send exists');
    process.kill(app!.pid!, 'SIGUSR2');
    await until(() => lines(out).includes('sent true'), 5000, 'a send to the daemon');
    process.kill(tend.daemonPid()!, 'SIGKILL');
    await sleep(300);
    process.kill(app!.pid!, 'SIGUSR2');
    await until(() => lines(out).includes('sent false'), 5000, 'a send on the closed channel');
    await sleep(300);
    expect(isAlive(app!.pid!)).toBe(true);
    // The next command's daemon takes it back, still running.
    expect((await tend.list()).map((p) => [p.pid, p.status])).toEqual([[app!.pid, 'online']]);
  });
});

describe('reloadLogs', () => {
  it('names an app writing directly whose file was moved; --restart makes it write to a fresh file', async () => {
    await tend.ok(['start', fixture('ticks.js'), '--name', 't']);
    const current = join(tend.home, 'logs', 't-out.log');
    await until(() => lines(current).length > 5, 10_000, 'ticks');
    renameSync(current, `${current}.1`);
    const named = await tend.ok(['reloadLogs']);
    expect(named.stdout).toContain(`not reopened: t still writes to the moved ${current}`);
    expect(existsSync(current)).toBe(false);
    const restarted = await tend.ok(['reloadLogs', '--restart']);
    expect(restarted.stdout).toContain('restarting t');
    await until(() => existsSync(current) && lines(current).length > 5, 10_000, 'ticks in a fresh file');
    expect((await tend.ok(['reloadLogs'])).stdout).toContain('t: writes its files directly, and they were not moved');
  });
});
