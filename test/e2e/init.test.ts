import { copyFileSync, readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, fixture, TendHarness } from './harness.js';

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

/** The variables a login shell always has, as `tend start` passes them on (apply's base sets the same names). */
function loginShell(): Record<string, string> {
  const me = userInfo();
  return { HOME: me.homedir, USER: me.username, LOGNAME: me.username, SHELL: me.shell ?? '/bin/sh', LANG: 'C.UTF-8' };
}

describe('tend init', () => {
  it('writes an ecosystem.yml with the schema line that passes tend plan, and will not overwrite it', async () => {
    copyFileSync(fixture('forever.js'), join(tend.work, 'server.js'));
    const first = await tend.ok(['init']);
    expect(first.stdout).toContain('wrote ecosystem.yml with one app, server (server.js)');
    const text = readFileSync(join(tend.work, 'ecosystem.yml'), 'utf8');
    const schema = resolve(dirname(CLI), '..', 'schemas', 'ecosystem.schema.json');
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${schema}`);
    expect(text).toContain('  - name: server\n    script: server.js\n');

    const plan = await tend.ok(['plan', 'ecosystem.yml']);
    expect(plan.stdout).toMatch(/\+ server\s+start 1 instance/);
    expect(plan.stderr).toBe('');

    const again = await tend.run(['init']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('ecosystem.yml exists already; --force overwrites it');
    expect(readFileSync(join(tend.work, 'ecosystem.yml'), 'utf8')).toBe(text);
    await tend.ok(['init', 'server.js', '--force']);
  });

  it('says what to do when it finds no script, and writes nothing', async () => {
    const result = await tend.run(['init']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no script to start found in .*; name it: tend init server\.js/);
  });
});

describe('tend init --from-running', () => {
  it('writes the running apps, only their non-default keys, and `tend plan` of it finds no change', async () => {
    copyFileSync(fixture('forever.js'), join(tend.work, 'server.js'));
    await tend.ok(['start', 'server.js', '--name', 'api', '--max-memory-restart', '200M', '--', '--port', '3000'], {
      env: { ...loginShell(), NODE_ENV: 'production' },
    });
    tend.write(
      'web.yml',
      'apps:\n  - name: web\n    script: server.js\n    env:\n      GREETING: hi\n    kill_timeout: 5s\n',
    );
    await tend.ok(['apply', 'web.yml']);

    const result = await tend.ok(['init', '--from-running', '-o', 'running.yml']);
    expect(result.stdout).toContain('wrote running.yml with 2 apps');
    const file = join(tend.work, 'running.yml');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(
      '  - name: web\n    script: server.js\n    env:\n      GREETING: hi\n    kill_timeout: 5s\n',
    );
    expect(text).toMatch(/- name: api\n {4}script: server\.js\n {4}args:\n {6}- --port\n {6}- "3000"\n/);
    // From the shell of `tend start`: marked, and only what apply's fixed base does not give the same way.
    const env = text.slice(
      text.indexOf('# From the shell that ran `tend start`'),
      text.indexOf('    max_memory_restart:'),
    );
    expect(env).toContain('      NODE_ENV: production\n');
    expect(text).not.toMatch(/^\s+(HOME|USER|LOGNAME|LANG):/m);
    expect(text).toContain('max_memory_restart: 200M');

    // The apps are the command line's and web.yml's: the new file names them, so it must take them over.
    expect((await tend.run(['plan', 'running.yml'])).stderr).toMatch(/names 2 apps that another owner applied/);
    expect((await tend.ok(['plan', 'running.yml', '--take-over'])).stdout).toMatch(/No changes/);

    // A stopped app is written with autostart: false; plan records that in place and starts nothing.
    await tend.ok(['stop', 'api']);
    await tend.ok(['init', '--from-running', '-o', 'running.yml', '--force']);
    expect(readFileSync(file, 'utf8')).toContain('autostart: false # stopped when this file was written');
    const plan = (await tend.ok(['plan', 'running.yml', '--take-over'])).stdout;
    expect(plan).toMatch(/~ api\s+update (policy )?in place: autostart true → false/);
    expect(plan).toMatch(/0 to start, 0 to restart/);
  });

  it('with no daemon running, says so and writes nothing', async () => {
    const result = await tend.run(['init', '--from-running']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no tend daemon runs in');
    expect(tend.daemonPid()).toBeNull();
  });
});
