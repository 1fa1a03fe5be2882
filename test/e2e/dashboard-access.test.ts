import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DashboardInfo } from '../../src/api/methods.js';
import { fixture, TendHarness } from './harness.js';

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

const canSwitchUser = process.getuid?.() === 0 && existsSync('/usr/bin/setpriv');

/**
 * Fetches each path as the user `nobody` (another local account, as an attacker on a shared machine would be) and
 * prints one line per path: its status and the first bytes of the body.
 */
function fetchAsNobody(base: string, paths: string[], headers: Record<string, string> = {}): string[] {
  const script = `(async () => { for (const p of ${JSON.stringify(paths)}) { const ctl = new AbortController(); setTimeout(() => ctl.abort(), 2000); try { const r = await fetch(${JSON.stringify(base)} + p, { headers: ${JSON.stringify(headers)}, signal: ctl.signal }); const reader = r.body.getReader(); const { value } = await reader.read(); ctl.abort(); console.log(r.status + ' ' + Buffer.from(value ?? []).toString().slice(0, 60).replace(/\\n/g, ' ')); } catch (e) { console.log('error ' + e.name); } } process.exit(0); })();`;
  const run = spawnSync(
    'setpriv',
    ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, '-e', script],
    { encoding: 'utf8', timeout: 20_000 },
  );
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.trim().split('\n');
}

async function openDashboard(extra: string[] = []): Promise<DashboardInfo> {
  const file = tend.write(
    'eco.yml',
    `apps:\n  - name: secret-app\n    script: ${tend.write('talk.cjs', "setInterval(() => console.log('card 4242'), 100);\n")}\n  - name: web\n    script: ${fixture('http-server.js')}\n`,
  );
  await tend.ok(['apply', file]);
  return JSON.parse((await tend.ok(['dashboard', '--port', '0', '--json', ...extra])).stdout) as DashboardInfo;
}

describe.skipIf(!canSwitchUser)('the web dashboard and other local users', () => {
  it('another account on 127.0.0.1 reads no logs, no process list and no metrics without the token', async () => {
    const dash = await openDashboard();
    const seen = fetchAsNobody(dash.url, ['events', 'api/processes', 'api/usage', 'metrics']);
    expect(seen).toHaveLength(4);
    for (const line of seen) expect(line).toMatch(/^401 /);
    expect(seen.join('\n')).not.toContain('card 4242');
    expect(seen.join('\n')).not.toContain('secret-app');
    // The page shell holds no data: it is served, and asks for the token.
    expect(fetchAsNobody(dash.url, [''])[0]).toMatch(/^200 <!doctype html>/i);
    // Nor can that account read the tokens: they are 0600 in the 0700 home.
    const read = spawnSync(
      'setpriv',
      ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'cat', dash.tokenFile, dash.metricsTokenFile],
      { encoding: 'utf8' },
    );
    expect(read.status).not.toBe(0);
    expect(read.stdout).toBe('');
  });

  it('with the token the same account reads; the metrics token reads /metrics and nothing else', async () => {
    const dash = await openDashboard();
    const [events, processes] = fetchAsNobody(dash.url, ['events', 'api/processes'], {
      Authorization: `Bearer ${dash.token}`,
    });
    expect(events).toMatch(/^200 /);
    expect(processes).toMatch(/^200 .*secret-app/);
    const metricsOnly = fetchAsNobody(dash.url, ['metrics', 'events', 'api/processes'], {
      Authorization: `Bearer ${dash.metricsToken}`,
    });
    expect(metricsOnly[0]).toMatch(/^200 # HELP tend_process_up/);
    expect(metricsOnly.slice(1)).toEqual([expect.stringMatching(/^401 /), expect.stringMatching(/^401 /)]);
  });

  it('--metrics-public opens /metrics to anyone, and only /metrics; it is remembered until changed', async () => {
    const dash = await openDashboard(['--metrics-public']);
    expect(dash.metricsPublic).toBe(true);
    const seen = fetchAsNobody(dash.url, ['metrics', 'events', 'api/processes']);
    expect(seen[0]).toMatch(/^200 # HELP tend_process_up/);
    expect(seen.slice(1)).toEqual([expect.stringMatching(/^401 /), expect.stringMatching(/^401 /)]);
    // The next daemon serves it the same way.
    await tend.ok(['update']);
    expect(fetchAsNobody(dash.url, ['metrics'])[0]).toMatch(/^200 /);
    // `tend dashboard` without the flag closes /metrics again, on the same server.
    const again = JSON.parse((await tend.ok(['dashboard', '--port', String(dash.port), '--json'])).stdout);
    expect(again).toMatchObject({ reused: true, metricsPublic: false });
    expect(fetchAsNobody(dash.url, ['metrics'])[0]).toMatch(/^401 /);
  });
});
