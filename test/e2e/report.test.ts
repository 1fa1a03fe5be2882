import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, TendHarness } from './harness.js';

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

describe('tend report', () => {
  it('without a daemon says so and starts none', async () => {
    const report = await tend.ok(['report']);
    expect(report.stdout).toMatch(/^tend\s+\d+\.\d+\.\d+$/m);
    expect(report.stdout).toMatch(new RegExp(`^node\\s+${process.version.replace(/\./g, '\\.')} `, 'm'));
    expect(report.stdout).toMatch(new RegExp(`^home\\s+${tend.home}$`, 'm'));
    expect(report.stdout).toMatch(/^daemon\s+not running$/m);
    expect(existsSync(join(tend.home, 'daemon.pid'))).toBe(false);
  });

  it('names the daemon, the apps and the end of daemon.log, with secrets masked', async () => {
    const file = tend.write('eco.yml', `apps:\n  - name: web\n    script: ${fixture('forever.js')}\n`);
    await tend.ok(['apply', file]);
    appendFileSync(join(tend.home, 'daemon.log'), 'something said API_KEY=abc123 and ?token=s3cr3t\n');
    const report = await tend.ok(['report']);
    expect(report.stdout).toMatch(/^daemon\s+pid \d+, version \d+\.\d+\.\d+, up \d+s, \d+(\.\d+)?[kmg]?b$/m);
    expect(report.stdout).toMatch(/^processes 1 \(1 online\)$/m);
    expect(report.stdout).toMatch(/^0\s+web\s+fork\s+\d+\s+online/m);
    expect(report.stdout).toMatch(/## daemon\.log, last 30 lines\n(.*\n)*.*serving .*tend\.sock/);
    expect(report.stdout).toContain('something said API_KEY=*** and ?token=***');
    expect(report.stdout).not.toContain('abc123');
    const json = JSON.parse((await tend.ok(['report', '--json'])).stdout);
    expect(json.processes.map((p: { name: string }) => p.name)).toEqual(['web']);
    expect(json.daemon.pid).toBe(tend.daemonPid());
  });
});
