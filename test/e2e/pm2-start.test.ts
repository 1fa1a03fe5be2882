import { execFile } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, type CliResult, fixture, TendHarness } from './harness.js';

// PM2's `start` (issue #16, section 2): every case runs the PM2-style command and checks what `tend ls --json`,
// `tend show --json` and the files say.

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

/** A copy of a fixture in the work folder, so the app is named after `name`. */
function script(name: string, from = 'forever.js'): string {
  const file = join(tend.work, name);
  copyFileSync(fixture(from), file);
  return file;
}

/** `tend <args>` with `input` on stdin. */
function piped(args: string[], input: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { cwd: tend.work, env: { ...process.env, TEND_HOME: tend.home, NO_COLOR: '1' }, timeout: 20_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input);
  });
}

const summary = async () => (await tend.list()).map((p) => [p.name, p.instance, p.status]);

describe('tend start, as PM2', () => {
  it('starts several scripts in one call, each an app with the same flags', async () => {
    for (const name of ['a.js', 'b.js', 'c.js']) script(name);
    await tend.ok(['start', 'a.js', 'b.js', 'c.js', '--namespace', 'batch', '--max-memory-restart', '300M']);
    expect(await summary()).toEqual([
      ['a', 0, 'online'],
      ['b', 0, 'online'],
      ['c', 0, 'online'],
    ]);
    const shown = JSON.parse((await tend.ok(['show', 'b', '--json'])).stdout)[0];
    expect([shown.namespace, shown.policy.maxMemoryRestartBytes]).toEqual(['batch', 300 * 1024 * 1024]);
  });

  it('runs a command line through the shell, named after the command', async () => {
    const command = "node -e 'setTimeout(()=>{},1e5)'";
    await tend.ok(['start', command]);
    const [app] = await tend.list();
    expect([app?.name, app?.status]).toEqual([command, 'online']);
    // bash -c runs the line (and hands its last command the process: `exec`).
    expect(readFileSync(`/proc/${app!.pid}/cmdline`, 'utf8').split('\0')).toContain('setTimeout(()=>{},1e5)');
  });

  it('runs a program found on PATH, with the arguments after --', async () => {
    await tend.ok(['start', 'sleep', '--', '1000']);
    const [app] = await tend.list();
    expect([app?.name, app?.status]).toEqual(['sleep', 'online']);
    expect(readFileSync(`/proc/${app!.pid}/cmdline`, 'utf8').split('\0').slice(0, 2)).toEqual(['sleep', '1000']);
  });

  it('a word that is no app, file nor program is refused, and nothing starts', async () => {
    const result = await tend.run(['start', 'no-such-program-anywhere']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      '`no-such-program-anywhere` is not an app tend runs, a file, nor a program on PATH',
    );
    expect(await tend.list()).toEqual([]);
  });

  it('`start -` takes an app as JSON on stdin, `delete -` the same apps', async () => {
    const app = JSON.stringify({ name: 'piped', script: fixture('forever.js') });
    await piped(['start', '-'], app);
    expect(await summary()).toEqual([['piped', 0, 'online']]);
    const deleted = await piped(['delete', '-'], `name: piped\nscript: ${fixture('forever.js')}\n`);
    expect(deleted.stdout).toContain('deleted piped');
    expect(await tend.list()).toEqual([]);
  });

  it('`start -` with a bad app names <stdin>, its line, column and key, and starts nothing', async () => {
    const result = await piped(['start', '-'], `name: bad\nscript: ${fixture('forever.js')}\ninstances: lots\n`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('<stdin>:3:12 instances: expected a whole number');
    expect(await tend.list()).toEqual([]);
  });

  it('start NAME restarts an online app and starts a stopped one', async () => {
    script('up.js');
    script('down.js');
    await tend.ok(['start', 'up.js', 'down.js']);
    await tend.ok(['stop', 'down']);
    const before = await tend.list();
    await tend.ok(['start', 'up', 'down']);
    const after = await tend.list();
    const up = after.find((p) => p.name === 'up')!;
    expect([up.status, up.restarts, up.pid !== before.find((p) => p.name === 'up')!.pid]).toEqual(['online', 1, true]);
    expect(after.find((p) => p.name === 'down')!.status).toBe('online');
  });

  it("start SCRIPT of a script that runs fails with PM2's hint; with -f it adds an instance", async () => {
    script('api.js');
    await tend.ok(['start', 'api.js']);
    const again = await tend.run(['start', 'api.js']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('Script already launched, add -f option to force re-execution');
    expect(await summary()).toEqual([['api', 0, 'online']]);
    await tend.ok(['start', 'api.js', '-f']);
    expect(await summary()).toEqual([
      ['api', 0, 'online'],
      ['api', 1, 'online'],
    ]);
  });

  it('start SCRIPT of a stopped app of that script starts it again', async () => {
    script('api.js');
    await tend.ok(['start', 'api.js']);
    await tend.ok(['stop', 'api']);
    await tend.ok(['start', 'api.js']);
    expect(await summary()).toEqual([['api', 0, 'online']]);
  });

  it('--no-daemon is refused with what to use instead, and nothing starts', async () => {
    script('api.js');
    const result = await tend.run(['start', 'api.js', '--no-daemon']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--no-daemon is not supported');
    expect(result.stderr).toContain('tend logs');
    expect(await tend.list()).toEqual([]);
  });

  it('PM2 flags set the keys tend has: -x, --wait-ready, --listen-timeout, --kill-timeout, --time, --cron-restart…', async () => {
    script('api.js');
    const result = await tend.ok([
      'start',
      'api.js',
      '-i',
      '2',
      '-x',
      '--listen-timeout',
      '900',
      '--kill-timeout',
      '700',
      '--shutdown-with-message',
      '--restart-delay',
      '50',
      '--max-restarts',
      '7',
      '--min-uptime',
      '2000',
      '--time',
      '--no-autorestart',
      '--cron-restart',
      '0 * * * *',
    ]);
    expect(result.stderr).not.toContain('cron_restart');
    const [shown] = JSON.parse((await tend.ok(['show', 'api', '--json'])).stdout);
    expect(shown.policy.cronRestart.pattern).toBe('0 * * * *');
    expect(shown.next_cron_at % 60_000).toBe(0);
    expect(shown.mode).toBe('fork');
    expect(shown.policy).toMatchObject({
      listenTimeoutMs: 900,
      killTimeoutMs: 700,
      shutdownWithMessage: true,
      restartDelayMs: 50,
      maxRestarts: 7,
      minUptimeMs: 2000,
      autorestart: false,
      logs: { dateFormat: 'YYYY-MM-DDTHH:mm:ss' },
    });
  });

  it('--wait-ready keeps an app launching until it says ready (or listen_timeout)', async () => {
    script('quiet.js');
    const started = Date.now();
    await tend.ok(['start', 'quiet.js', '--wait-ready', '--listen-timeout', '1500']);
    // forever.js never sends `ready`: it comes online when listen_timeout runs out, as PM2.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(await summary()).toEqual([['quiet', 0, 'online']]);
  });

  it('start FILE starts the apps that are missing and restarts those that run', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: a\n    script: ${fixture('forever.js')}\n  - name: b\n    script: ${fixture('forever.js')}\n`,
    );
    await tend.ok(['start', file, '--only', 'a']);
    const [a] = await tend.list();
    await tend.ok(['start', file]);
    const after = await tend.list();
    expect(after.map((p) => [p.name, p.status, p.restarts])).toEqual([
      ['a', 'online', 1],
      ['b', 'online', 0],
    ]);
    expect(after[0]!.pid).not.toBe(a!.pid);
  });

  it('unknown keys: start warns and ignores them, as PM2; apply and plan refuse them', async () => {
    const file = tend.write('eco.yml', `apps:\n  - name: a\n    script: ${fixture('forever.js')}\n    colour: blue\n`);
    const applied = await tend.run(['apply', file]);
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain('eco.yml:4:5 apps[0].colour: unknown key `colour`');
    expect(await tend.list()).toEqual([]);
    const started = await tend.ok(['start', file]);
    expect(started.stderr).toContain('eco.yml:4:5 apps[0].colour: unknown key `colour`; ignored, as PM2 does');
    expect(await summary()).toEqual([['a', 0, 'online']]);
  });

  it('instances without exec_mode runs a Node app in cluster mode, and plan says so', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: api\n    script: ${fixture('http-server.js')}\n    instances: 2\n`,
    );
    const plan = await tend.ok(['plan', file]);
    expect(plan.stderr).toContain(
      'eco.yml:4:5 apps[0].instances: `instances` without `exec_mode` runs a Node.js app in cluster mode',
    );
    await tend.ok(['start', file]);
    const listed = (await tend.list()) as unknown as Array<{ mode: string; status: string }>;
    expect(listed.map((p) => [p.mode, p.status])).toEqual([
      ['cluster', 'online'],
      ['cluster', 'online'],
    ]);
  });

  it('append_env_to_name: with --env X the app runs as NAME-X', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: api\n    script: ${fixture('forever.js')}\n    append_env_to_name: true\n    env_staging:\n      STAGE: 1\n`,
    );
    await tend.ok(['start', file, '--env', 'staging']);
    expect(await summary()).toEqual([['api-staging', 0, 'online']]);
  });
});
