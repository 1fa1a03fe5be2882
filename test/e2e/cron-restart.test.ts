import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, TendHarness, until } from './harness.js';

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

describe('cron_restart', () => {
  it('restarts a running app on a seconds schedule, with reason cron; show prints the next run', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: ticker\n    script: ${fixture('forever.js')}\n    cron_restart: "*/2 * * * * *"\n`,
    );
    await tend.ok(['apply', file]);
    const [first] = await tend.list();
    expect(first!.status).toBe('online');
    const list = await tend.waitFor(
      (l) => l[0]!.restarts >= 1 && l[0]!.status === 'online' && l[0]!.pid !== first!.pid,
      8_000,
      'a restart on schedule',
    );
    expect(list[0]!.restart_reason).toBe('cron');
    const json = (await tend.list())[0] as unknown as { next_cron_at: number };
    expect(json.next_cron_at).toBeGreaterThan(Date.now() - 1_000);
    expect(json.next_cron_at).toBeLessThanOrEqual(Date.now() + 2_000);
    const show = await tend.ok(['show', 'ticker']);
    expect(show.stdout).toMatch(/next cron run\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z \(in /);
    expect(show.stdout).toMatch(/last restart reason\s+cron/);
  });

  it('starts an autorestart: false job on its schedule, so it runs more than once', async () => {
    const runs = join(tend.work, 'runs.txt');
    const job = tend.write('job.cjs', `require('fs').appendFileSync(${JSON.stringify(runs)}, Date.now() + '\\n');\n`);
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: job\n    script: ${job}\n    autorestart: false\n    cron: "* * * * * *"\n`,
    );
    await tend.ok(['apply', file]);
    const count = () => {
      try {
        return readFileSync(runs, 'utf8').trim().split('\n').length;
      } catch {
        return 0;
      }
    };
    await until(() => count() >= 3, 8_000, 'three runs of the job');
    const [p] = await tend.list();
    expect(p!.restarts).toBeGreaterThanOrEqual(2);
    expect(p!.restart_reason).toBe('cron');
  });

  it('the schedule survives `tend update`: the new daemon re-arms it from the saved spec', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: ticker\n    script: ${fixture('forever.js')}\n    cron_restart: "*/2 * * * * *"\n`,
    );
    await tend.ok(['apply', file]);
    const oldDaemon = tend.daemonPid();
    await tend.ok(['update']);
    expect(tend.daemonPid()).not.toBe(oldDaemon);
    const [before] = await tend.list();
    await tend.waitFor(
      (l) => l[0]!.restarts > before!.restarts && l[0]!.status === 'online' && l[0]!.pid !== before!.pid,
      8_000,
      'a restart on schedule under the new daemon',
    );
  });

  it('a bad pattern is refused at file:line:column and nothing starts', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: bad\n    script: ${fixture('forever.js')}\n    cron_restart: "* * *"\n`,
    );
    const result = await tend.run(['apply', file]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('eco.yml:4:19 apps[0].cron_restart: invalid cron pattern "* * *"');
  });
});
