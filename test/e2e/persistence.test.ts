import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, isAlive, sleep, TendHarness } from './harness.js';

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

describe('persistence', () => {
  it('save, kill, resurrect brings back the same apps with their specs', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: a\n    script: ${fixture('forever.js')}\n    exec_mode: fork\n    instances: 2\n    env:\n      X: "1"\n  - name: b\n    script: ${fixture('forever.js')}\n`,
    );
    await tend.ok(['apply', file]);
    const before = await tend.list();
    await tend.ok(['save']);
    const killed = await tend.ok(['kill']);
    expect(killed.stdout).toMatch(/stopped 3/);
    for (const p of before) expect(isAlive(p.pid!)).toBe(false);
    expect(tend.daemonPid() === null || !isAlive(tend.daemonPid()!)).toBe(true);

    await tend.ok(['resurrect']);
    const after = await tend.list();
    expect(after.map((p) => [p.name, p.instance, p.status])).toEqual(before.map((p) => [p.name, p.instance, 'online']));
    const show = await tend.ok(['show', 'a', '--json']);
    expect(JSON.parse(show.stdout)[0].env.X.value).toBe('1');
    // Applying the same file again finds nothing to do: the specs came back exactly.
    expect((await tend.ok(['plan', file])).stdout).toMatch(/No changes/);
  });

  it('the apps outlive a daemon killed with SIGKILL, and the next command takes them back', async () => {
    const file = tend.write('eco.yml', `apps:\n  - name: a\n    script: ${fixture('forever.js')}\n`);
    await tend.ok(['apply', file]);
    const [before] = await tend.list();
    const daemon = tend.daemonPid()!;
    process.kill(daemon, 'SIGKILL');
    await sleep(200);
    expect(isAlive(before!.pid!)).toBe(true);
    const [after] = await tend.list();
    expect(tend.daemonPid()).not.toBe(daemon);
    expect(after!.pid).toBe(before!.pid);
    expect(after!.status).toBe('online');
    // Still supervised: a stop through the new daemon reaches the adopted process.
    await tend.ok(['stop', 'a']);
    expect(isAlive(before!.pid!)).toBe(false);
  });
});

describe('tend update', () => {
  it('replaces the daemon and keeps every app running with the same pid', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: a\n    script: ${fixture('forever.js')}\n    exec_mode: fork\n    instances: 2\n`,
    );
    await tend.ok(['apply', file]);
    const before = await tend.list();
    const oldDaemon = tend.daemonPid();
    const result = await tend.ok(['update']);
    expect(result.stdout).toMatch(/2 processes kept running/);
    expect(tend.daemonPid()).not.toBe(oldDaemon);
    const after = await tend.list();
    expect(after.map((p) => [p.pid, p.status, p.restarts])).toEqual(before.map((p) => [p.pid, 'online', 0]));
    // Still supervised: a restart through the new daemon replaces each adopted process (not its child).
    await tend.ok(['restart', 'a']);
    const restarted = await tend.list();
    expect(restarted.map((p) => p.status)).toEqual(['online', 'online']);
    for (const p of restarted) expect(before.map((b) => b.pid)).not.toContain(p.pid);
    for (const b of before) expect(isAlive(b.pid!)).toBe(false);
  });
});

describe('a process the daemon adopted', () => {
  it("that crashes is seen and started again, though it is not the daemon's child", async () => {
    const file = tend.write('eco.yml', `apps:\n  - name: a\n    script: ${fixture('forever.js')}\n`);
    await tend.ok(['apply', file]);
    await tend.ok(['update']);
    const [adopted] = await tend.list();
    process.kill(adopted!.pid!, 'SIGKILL');
    const [after] = await tend.waitFor(
      (l) => l[0]?.status === 'online' && l[0].pid !== adopted!.pid,
      10_000,
      'a started again',
    );
    expect(after!.restarts).toBe(1);
  });
});

describe('a process that dies while no daemon runs', () => {
  it('is started again by the next daemon, counted as a restart', async () => {
    const file = tend.write('eco.yml', `apps:\n  - name: a\n    script: ${fixture('forever.js')}\n`);
    await tend.ok(['apply', file]);
    const [before] = await tend.list();
    process.kill(tend.daemonPid()!, 'SIGKILL');
    process.kill(before!.pid!, 'SIGKILL');
    await sleep(200);
    const after = await tend.waitFor(
      (l) => l[0]?.status === 'online' && l[0].pid !== before!.pid,
      10_000,
      'a new process',
    );
    expect(after[0]!.restarts).toBe(1);
  });
});
