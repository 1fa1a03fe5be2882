import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, isAlive, TendHarness } from './harness.js';

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

function ecosystem(apps: string): string {
  return `apps:\n${apps}`;
}

const forever = fixture('forever.js');
const printsEnv = fixture('prints-env.js');

describe('tend apply', () => {
  it('starts every app of the file, waits until they are up, and a second apply changes nothing', async () => {
    const file = tend.write(
      'eco.yml',
      ecosystem(
        `  - name: api\n    script: ${forever}\n    instances: 2\n    exec_mode: fork\n  - name: worker\n    script: ${forever}\n`,
      ),
    );
    const first = await tend.ok(['apply', file]);
    expect(first.stdout).toContain('+ api');
    expect(first.stdout).toContain('+ worker');
    const list = await tend.list();
    expect(list.map((p) => [p.name, p.instance, p.status])).toEqual([
      ['api', 0, 'online'],
      ['api', 1, 'online'],
      ['worker', 0, 'online'],
    ]);
    const pids = list.map((p) => p.pid);

    const second = await tend.ok(['apply', file]);
    expect(second.stdout).toMatch(/No changes/);
    const after = await tend.list();
    expect(after.map((p) => p.pid)).toEqual(pids);
    expect(after.every((p) => p.restarts === 0)).toBe(true);
  });

  it('--only touches only the named apps', async () => {
    const file = tend.write(
      'eco.yml',
      ecosystem(`  - name: a\n    script: ${forever}\n  - name: b\n    script: ${forever}\n`),
    );
    await tend.ok(['apply', file, '--only', 'a']);
    expect((await tend.list()).map((p) => p.name)).toEqual(['a']);
    const unknown = await tend.run(['apply', file, '--only', 'nope']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('nope');
  });

  it('an env change restarts only that app, with the new value', async () => {
    const v1 = ecosystem(
      `  - name: a\n    script: ${printsEnv}\n    env:\n      COLOR: red\n  - name: b\n    script: ${forever}\n`,
    );
    const file = tend.write('eco.yml', v1);
    await tend.ok(['apply', file]);
    const before = await tend.list();
    tend.write('eco.yml', v1.replace('red', 'blue'));
    const plan = await tend.run(['plan', file, '--exit-code']);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/~ a .*restart.*COLOR.*red.*blue/);
    await tend.ok(['apply', file]);
    const after = await tend.list();
    const a = after.find((p) => p.name === 'a')!;
    const b = after.find((p) => p.name === 'b')!;
    expect(a.pid).not.toBe(before.find((p) => p.name === 'a')!.pid);
    expect(b.pid).toBe(before.find((p) => p.name === 'b')!.pid);
    const lines = readFileSync(a.pm_out_log_path!, 'utf8').trim().split('\n');
    expect(JSON.parse(lines.at(-1)!).COLOR).toBe('blue');
    expect((await tend.run(['plan', file, '--exit-code'])).code).toBe(0);
  });

  it('instances 2 → 4 starts two more and touches no running instance; 4 → 1 stops the highest', async () => {
    const two = ecosystem(`  - name: w\n    script: ${forever}\n    exec_mode: fork\n    instances: 2\n`);
    const file = tend.write('eco.yml', two);
    await tend.ok(['apply', file]);
    const before = await tend.list();
    tend.write('eco.yml', two.replace('instances: 2', 'instances: 4'));
    await tend.ok(['apply', file]);
    const after = await tend.list();
    expect(after.map((p) => p.instance)).toEqual([0, 1, 2, 3]);
    expect(after.slice(0, 2).map((p) => p.pid)).toEqual(before.map((p) => p.pid));
    expect(after.every((p) => p.status === 'online' && p.restarts === 0)).toBe(true);

    tend.write('eco.yml', two.replace('instances: 2', 'instances: 1'));
    await tend.ok(['apply', file]);
    const shrunk = await tend.list();
    expect(shrunk.map((p) => [p.instance, p.pid])).toEqual([[0, before[0]!.pid]]);
    for (const gone of after.slice(1)) expect(isAlive(gone.pid!)).toBe(false);
  });

  it('an invalid file is reported with line and column and changes nothing', async () => {
    const good = tend.write('good.yml', ecosystem(`  - name: a\n    script: ${forever}\n`));
    await tend.ok(['apply', good]);
    const before = await tend.list();
    const bad = tend.write(
      'bad.yml',
      ecosystem(
        `  - name: a\n    script: ${forever}\n    instances: lots\n  - name: b\n    script: ${forever}\n    max_memory_restar: 10M\n`,
      ),
    );
    const result = await tend.run(['apply', bad]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/bad\.yml:4:\d+/);
    expect(result.stderr).toContain('apps[0].instances');
    expect(result.stderr).toMatch(/bad\.yml:7:\d+/);
    expect(result.stderr).toContain('max_memory_restart');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    // Figures move on their own (the probe's metrics appear within a second of the start); what a process is must not.
    const moving = {
      uptime_ms: expect.any(Number),
      cpu: expect.any(Number),
      memory: expect.any(Number),
      metrics: expect.anything(),
    };
    expect((await tend.list()).map((p) => ({ ...p, metrics: p.metrics ?? {} }))).toEqual(
      before.map((p) => ({ ...p, ...moving })),
    );
  });

  it('--prune deletes apps the file no longer names; without it they are reported and left alone', async () => {
    const file = tend.write(
      'eco.yml',
      ecosystem(`  - name: a\n    script: ${forever}\n  - name: b\n    script: ${forever}\n`),
    );
    await tend.ok(['apply', file]);
    tend.write('eco.yml', ecosystem(`  - name: a\n    script: ${forever}\n`));
    const kept = await tend.ok(['apply', file]);
    expect(kept.stdout).toMatch(/b .*--prune/);
    expect((await tend.list()).map((p) => p.name)).toEqual(['a', 'b']);
    await tend.ok(['apply', file, '--prune']);
    expect((await tend.list()).map((p) => p.name)).toEqual(['a']);
  });

  it('a failing app makes apply exit non-zero with the reason and the last lines of its error log', async () => {
    const file = tend.write(
      'eco.yml',
      ecosystem(`  - name: broken\n    script: ${fixture('crash-immediately.js')}\n    autorestart: false\n`),
    );
    const result = await tend.run(['apply', file]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('broken');
    expect(result.stderr).toContain('crashing now');
  });
});
