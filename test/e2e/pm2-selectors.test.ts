import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, type ListedProcess, TendHarness } from './harness.js';

// Issue #16 §1: every verb that takes targets takes a name, an id, several, `all`, a namespace, /regex/, an ecosystem
// file and a script path (PM2: `name == arg || pm_exec_path == path.resolve(arg)`); an app named by a number is found
// by its name before an id. Outcomes are read back through `tend ls --json` and the log files.

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

/** Status by app name and instance, e.g. `api[1]: stopped`. */
const statuses = (list: ListedProcess[]): Record<string, string> =>
  Object.fromEntries(list.map((p) => [`${p.name}[${p.instance}]`, p.status]));

/**
 * Four apps in two namespaces: `3` (id 0) is named by a number, `api` (ids 1, 2) and `worker` (id 3) run copies of
 * one script in folders of their own, `cron` (id 4) is alone in its namespace.
 */
async function fourApps(): Promise<{ file: string; a: string; b: string }> {
  const a = join(tend.work, 'a');
  const b = join(tend.work, 'b');
  mkdirSync(a, { recursive: true });
  mkdirSync(b, { recursive: true });
  copyFileSync(fixture('forever.js'), join(a, 'echo.js'));
  copyFileSync(fixture('forever.js'), join(b, 'echo.js'));
  const file = tend.write(
    'eco.yml',
    [
      'apps:',
      `  - { name: "3", script: ${fixture('ticks.js')}, namespace: misc }`,
      `  - { name: api, script: a/echo.js, instances: 2, namespace: web }`,
      `  - { name: worker, script: b/echo.js, namespace: jobs }`,
      `  - { name: cron, script: ${fixture('forever.js')}, namespace: jobs }`,
      '',
    ].join('\n'),
  );
  await tend.ok(['apply', file]);
  const list = await tend.list();
  expect(list.map((p) => `${p.id}:${p.name}`)).toEqual(['0:3', '1:api', '2:api', '3:worker', '4:cron']);
  return { file, a, b };
}

describe('targets (PM2 selectors)', () => {
  it('a script path selects the apps whose script it is, resolved from the caller’s cwd', async () => {
    const { a, b } = await fourApps();
    // From the app's folder: ./echo.js is a/echo.js, so `api`'s two instances and not `worker`'s copy.
    const stopped = await tend.ok(['stop', 'echo.js'], { cwd: a });
    expect(stopped.stdout).toMatch(/stopped api\[0\] \(id 1\)\nstopped api\[1\] \(id 2\)\n$/);
    expect(statuses(await tend.list())).toEqual({
      '3[0]': 'online',
      'api[0]': 'stopped',
      'api[1]': 'stopped',
      'worker[0]': 'online',
      'cron[0]': 'online',
    });
    // The same file named from elsewhere, relative and absolute.
    await tend.ok(['start', 'api'], { cwd: b });
    await tend.ok(['stop', './echo.js'], { cwd: b });
    expect(statuses(await tend.list())['worker[0]']).toBe('stopped');
    await tend.ok(['restart', join(a, 'echo.js')], { cwd: '/' });
    const list = await tend.list();
    expect(list.filter((p) => p.name === 'api').map((p) => [p.status, p.restarts])).toEqual([
      ['online', 1],
      ['online', 1],
    ]);
    // A path that names no app's script is an unknown target, named in the error.
    const none = await tend.run(['stop', 'nothing.js'], { cwd: a });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no process matches `nothing\.js`; known apps: 3, api, worker, cron/);
    // `delete` by script path forgets exactly those.
    await tend.ok(['delete', '../b/echo.js'], { cwd: a });
    expect((await tend.list()).map((p) => p.name)).toEqual(['3', 'api', 'api', 'cron']);
  });

  it('names, ids, several, all, a namespace, /regex/, an ecosystem file; a number names an app before an id', async () => {
    const { file } = await fourApps();
    // `3` is the app named 3 (id 0), not the process with id 3 (`worker`).
    await tend.ok(['stop', '3']);
    expect(statuses(await tend.list())).toMatchObject({ '3[0]': 'stopped', 'worker[0]': 'online' });
    // A number no app is named: an id. Several targets at once.
    await tend.ok(['stop', '4', '2']);
    expect(statuses(await tend.list())).toMatchObject({
      'cron[0]': 'stopped',
      'api[1]': 'stopped',
      'api[0]': 'online',
    });
    await tend.ok(['start', 'all']);
    expect(new Set((await tend.list()).map((p) => p.status))).toEqual(new Set(['online']));
    // A namespace.
    await tend.ok(['stop', 'jobs']);
    expect(statuses(await tend.list())).toMatchObject({
      'worker[0]': 'stopped',
      'cron[0]': 'stopped',
      'api[0]': 'online',
    });
    // A regex on names (JavaScript syntax, flags too), and one that matches nothing is an error naming it.
    await tend.ok(['restart', '/^(WORKER|cron)$/i']);
    expect(statuses(await tend.list())).toMatchObject({ 'worker[0]': 'online', 'cron[0]': 'online' });
    const nothing = await tend.run(['stop', '/^zzz/']);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toBe('tend: no app name matches `/^zzz/`; known apps: 3, api, worker, cron\n');
    const invalid = await tend.run(['stop', '/(/']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^tend: `\/\(\/` is not a valid regular expression: /);
    // Nothing was stopped by the failed calls.
    expect(new Set((await tend.list()).map((p) => p.status))).toEqual(new Set(['online']));
    // An ecosystem file stands for its apps; `reset` takes the same targets.
    await tend.ok(['stop', file, '--only', 'api']);
    expect(statuses(await tend.list())).toMatchObject({ 'api[0]': 'stopped', 'api[1]': 'stopped', '3[0]': 'online' });
    await tend.ok(['reset', file]);
    expect((await tend.list()).map((p) => p.restarts)).toEqual([0, 0, 0, 0, 0]);
    // An unknown name is still an error, and names every unknown target.
    const unknown = await tend.run(['restart', 'api', 'nope', '99']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no process matches `nope`, `99`/);
  });

  it('tend logs takes a namespace, a regex and a script path', async () => {
    const { a } = await fourApps();
    const logsOf = async (target: string, cwd?: string): Promise<string[]> => {
      const result = await tend.ok(['logs', target, '--nostream', '--raw', '--lines', '5'], cwd ? { cwd } : {});
      expect(result.stderr).toBe('');
      return (await tend.list()).filter((p) => result.stdout.includes(`forever started ${p.pid}`)).map((p) => p.name);
    };
    // Each forever.js says `forever started <pid>` first: the lines printed tell which apps were read.
    await tend.waitFor((l) => l.every((p) => p.status === 'online'));
    await new Promise((r) => setTimeout(r, 300));
    expect(await logsOf('jobs')).toEqual(['worker', 'cron']);
    expect(await logsOf('web')).toEqual(['api', 'api']);
    expect(await logsOf('/^c/')).toEqual(['cron']);
    expect(await logsOf('echo.js', a)).toEqual(['api', 'api']);
    const none = await tend.run(['logs', 'nope', '--nostream']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no process matches `nope`/);
  });
});
