import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, isAlive, TendHarness } from './harness.js';

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

/** Lines of an app's stdout log that say it started (forever.js prints one per start). */
function starts(file: string | null): number {
  if (!file || !existsSync(file)) return 0;
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('forever started')).length;
}

/** Lines of an app's stderr log that say it crashed (crash-immediately.js prints one per start). */
function crashes(file: string | null): number {
  if (!file || !existsSync(file)) return 0;
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l === 'crashing now').length;
}

describe('resurrect brings each saved app back in its saved status', () => {
  it('save → kill → resurrect keeps stopped apps stopped', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:
  - name: web
    script: ${fixture('forever.js')}
    exec_mode: fork
    instances: 2
  - name: paused
    script: ${fixture('forever.js')}
  - name: broken
    script: ${fixture('crash-immediately.js')}
    max_restarts: 1
    min_uptime: 1000
`,
    );
    await tend.run(['apply', file]);
    await tend.ok(['stop', 'paused']);
    await tend.waitFor((l) => l.find((p) => p.name === 'broken')?.status === 'errored', 10_000, 'broken errored');
    const before = await tend.list();
    const pausedLog = before.find((p) => p.name === 'paused')!.pm_out_log_path;
    const pausedStarts = starts(pausedLog);
    expect(pausedStarts).toBe(1);
    const brokenCrashes = crashes(before.find((p) => p.name === 'broken')!.pm_err_log_path);
    expect(brokenCrashes).toBeGreaterThan(0);
    await tend.ok(['save']);
    await tend.ok(['kill']);

    const result = await tend.run(['resurrect']);
    // Every app that ran when saved runs again: exit 0, though `broken` errors again.
    expect(result.code).toBe(0);
    const after = await tend.list();
    const status = (name: string) => after.filter((p) => p.name === name).map((p) => p.status);
    expect(status('web')).toEqual(['online', 'online']);
    for (const p of after.filter((a) => a.name === 'web')) expect(before.map((b) => b.pid)).not.toContain(p.pid);
    // Stopped when saved: listed as stopped, and never started, not even for a moment.
    expect(status('paused')).toEqual(['stopped']);
    expect(after.find((p) => p.name === 'paused')!.pid).toBeNull();
    expect(starts(pausedLog)).toBe(pausedStarts);
    // Errored when saved: tried again (it crashes at once, so it errors again).
    const broken = after.find((p) => p.name === 'broken')!;
    expect(broken.status).toBe('errored');
    expect(crashes(broken.pm_err_log_path)).toBeGreaterThan(brokenCrashes);
    expect(result.stdout).toMatch(/^paused: 1 stopped \(saved 1 stopped\)$/m);
    expect(result.stdout).toMatch(/^web: 2 online \(saved 2 online\)$/m);
    expect(result.stdout).toMatch(/^broken: .*\(saved 1 errored\)$/m);

    // A plain `start` of the stopped app still works: it was kept with its spec.
    await tend.ok(['start', 'paused']);
    expect((await tend.list()).find((p) => p.name === 'paused')!.status).toBe('online');
  });

  it('names the apps that ran when saved and do not run again, and exits 1', async () => {
    const folder = join(tend.work, 'release-42');
    tend.write('release-42/keep', '');
    const file = tend.write(
      'eco.yml',
      `apps:
  - name: stays
    script: ${fixture('forever.js')}
  - name: vanishes
    script: ${fixture('forever.js')}
    cwd: ${folder}
`,
    );
    await tend.ok(['apply', file]);
    await tend.ok(['save']);
    await tend.ok(['kill']);
    // Its release folder was deleted since: it cannot start again.
    rmSync(folder, { recursive: true });

    const result = await tend.run(['resurrect']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not online again \(they ran when saved\): vanishes\[0\] \(\w+\)/);
    expect(result.stderr).not.toMatch(/stays/);
    expect((await tend.list()).find((p) => p.name === 'stays')!.status).toBe('online');
  });

  it('a damaged dump: resurrects from its backup copy, says so, and removes the damaged file', async () => {
    const file = tend.write('eco.yml', `apps:\n  - name: a\n    script: ${fixture('forever.js')}\n`);
    await tend.ok(['apply', file]);
    await tend.ok(['save']);
    await tend.ok(['kill']);
    const dump = join(tend.home, 'dump.json');
    expect(existsSync(`${dump}.bak`)).toBe(true);
    // A truncation, as a full disk or a crash in the middle of a copy leaves it.
    writeFileSync(dump, readFileSync(dump, 'utf8').slice(0, 40));

    const result = await tend.run(['resurrect']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/dump\.json is not valid JSON .*resurrected from its backup copy .*dump\.json\.bak/);
    expect(result.stderr).toMatch(/removed the damaged file/);
    expect(existsSync(dump)).toBe(false);
    const [a] = await tend.list();
    expect(a!.status).toBe('online');
    expect(isAlive(a!.pid!)).toBe(true);
  });

  it('a damaged dump with no usable backup: nothing is resurrected, and both files are left for inspection', async () => {
    const dump = join(tend.home, 'dump.json');
    writeFileSync(dump, '{"version": 1, "nextId": 0, "apps": [{"spec": 3}]}');
    writeFileSync(`${dump}.bak`, 'not json');
    const result = await tend.run(['resurrect']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/its backup copy cannot be used either/);
    expect(existsSync(dump) && existsSync(`${dump}.bak`)).toBe(true);
    expect(await tend.list()).toEqual([]);
  });
});
