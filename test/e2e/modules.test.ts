import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ListedProcess, ROOT, TendHarness, until } from './harness.js';

// Modules as a PM2 user runs them: `tend install` of a package (a folder, an `npm pack` tarball), its app managed like
// any app, `tend set` restarting it with the new setting, `module ls`, `uninstall`; and bad packages refused with
// nothing left behind. No network: npm installs local packages only, with a cache of the test's own.

const PINGER = join(ROOT, 'examples/modules/health-pinger');
const FIXTURES = join(ROOT, 'test/fixtures/modules');
const NAME = 'tend-health-pinger';

/** `ls --json` rows with the fields these tests read beyond the harness's. */
type Listed = ListedProcess & { module?: string | null; cwd?: string };

let tend: TendHarness;
let server: Server;
let pings = 0;
let env: Record<string, string>;

beforeEach(async () => {
  tend = new TendHarness();
  env = { npm_config_cache: join(tend.work, '.npm-cache'), npm_config_offline: 'true' };
  pings = 0;
  server = createServer((_req, res) => {
    pings++;
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterEach(async () => {
  await tend.teardown();
  await new Promise((resolve) => server.close(resolve));
});

const url = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
const tendOk = (args: string[]) => tend.ok(args, { env, timeoutMs: 60_000 });
const tendRun = (args: string[]) => tend.run(args, { env, timeoutMs: 60_000 });

/** The example module as `npm pack` makes it, in the test's work folder. */
function packedPinger(): string {
  execFileSync('npm', ['pack', PINGER, '--pack-destination', tend.work, '--silent'], {
    cwd: tend.work,
    env: { ...process.env, ...env },
  });
  return join(tend.work, 'tend-health-pinger-1.0.0.tgz');
}

function outLog(): string {
  const file = join(tend.home, 'logs', `${NAME}-out.log`);
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** What is in the home's modules folder besides config.json: installed modules and any staging left over. */
function leftInModules(): string[] {
  const dir = join(tend.home, 'modules');
  if (!existsSync(dir)) return [];
  const top = readdirSync(dir).filter((entry) => entry !== 'config.json' && entry !== 'packages');
  const packages = existsSync(join(dir, 'packages')) ? readdirSync(join(dir, 'packages')) : [];
  return [...top, ...packages];
}

describe('tend install, set, module ls, uninstall', () => {
  it('installs the example module from an npm pack tarball; set restarts it with the new setting; uninstall removes it', async () => {
    const installed = await tendOk(['install', packedPinger()]);
    expect(installed.stdout).toContain(`installed ${NAME}@1.0.0`);

    const [app] = await tend.waitFor((l) => l[0]?.status === 'online', 10_000, 'the module app online');
    expect(app).toMatchObject({ name: NAME, module: NAME });
    const appDir = join(tend.home, 'modules', 'packages', NAME, 'node_modules', NAME);
    expect((app as Listed).cwd).toBe(appDir);
    expect((await tendOk(['ls'])).stdout).toContain(`${NAME} (module)`);
    const [pm2View] = JSON.parse((await tendOk(['jlist'])).stdout) as Array<{ pm2_env: Record<string, unknown> }>;
    expect(pm2View!.pm2_env.pmx_module).toBe(true);
    await until(() => outLog().includes('no URLs to ping'), 10_000, 'the app to say it has no URL yet');

    const set = await tendOk(['set', `${NAME}:urls`, url()]);
    expect(set.stdout).toContain(`${NAME}:urls = ${url()}`);
    expect(set.stdout).toMatch(/restart 1 instance/);
    await tendOk(['set', `${NAME}:interval`, '200ms']);
    // The restarted app runs with the new settings: it says so, and the server sees its GETs.
    await until(() => outLog().includes(`pinging ${url()} every 200ms`), 10_000, 'the app restarted with its URL');
    await until(() => /ok 200 http:\/\/127\.0\.0\.1:\d+\/health/.test(outLog()) && pings >= 2, 10_000, 'pings');
    const [restarted] = await tend.list();
    expect(restarted!.restarts).toBe(2);

    expect((await tendOk(['get', `${NAME}:interval`])).stdout).toBe('200ms\n');
    expect((await tendOk(['get'])).stdout).toBe(
      `${NAME}:urls = ${url()}\n${NAME}:interval = 200ms\n${NAME}:timeout = 5s (default)\n`,
    );
    const config = join(tend.home, 'modules', 'config.json');
    expect(statSync(config).mode & 0o777).toBe(0o600);

    const modules = JSON.parse((await tendOk(['module', 'ls', '--json'])).stdout) as Array<Record<string, unknown>>;
    expect(modules).toEqual([
      expect.objectContaining({
        name: NAME,
        version: '1.0.0',
        settings: { urls: url(), interval: '200ms' },
        apps: [{ name: NAME, instance: 0, status: 'online' }],
      }),
    ]);

    const unset = await tendOk(['unset', `${NAME}:interval`]);
    expect(unset.stdout).toMatch(/restart 1 instance/);
    await until(() => outLog().includes(`pinging ${url()} every 10000ms`), 10_000, 'back to the default interval');

    const removed = await tendOk(['uninstall', NAME]);
    expect(removed.stdout).toContain(`uninstalled ${NAME}; deleted 1 app: ${NAME}`);
    expect(await tend.list()).toEqual([]);
    expect(leftInModules()).toEqual([]);
    expect(JSON.parse(readFileSync(config, 'utf8'))).toEqual({});
    expect((await tendOk(['module', 'ls'])).stdout).toContain('No modules.');
  }, 90_000);

  it('installs from a folder (copied, not linked); module update restarts the app on the new code; resurrect brings it back', async () => {
    const source = join(tend.work, 'pinger-src');
    cpSync(PINGER, source, { recursive: true });
    await tendOk(['install', source]);
    await tend.waitFor((l) => l[0]?.status === 'online', 10_000, 'the module app online');

    // A change to the source folder changes nothing until `module update`.
    const script = join(source, 'pinger.js');
    writeFileSync(script, `console.log('version two');\n${readFileSync(script, 'utf8')}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(outLog()).not.toContain('version two');
    const updated = await tendOk(['module', 'update', NAME]);
    expect(updated.stdout).toContain(`updated ${NAME}@1.0.0`);
    await until(() => outLog().includes('version two'), 10_000, 'the new code running');

    await tendOk(['save']);
    await tendOk(['kill']);
    await tendOk(['resurrect']);
    const [back] = await tend.waitFor((l) => l[0]?.status === 'online', 10_000, 'the module app back');
    expect(back).toMatchObject({ name: NAME, module: NAME });
  }, 90_000);
});

describe('a module of two apps', () => {
  /** A module in the work folder whose package.json declares these app names, each running forever. */
  function twoApps(names: string[]): string {
    const dir = join(tend.work, 'two-apps');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'app.js'), 'setInterval(() => {}, 1000);\n');
    const tendKey = names.map((name) => ({ name, script: 'app.js' }));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'two-apps', version: '1.0.0', tend: tendKey }));
    return dir;
  }

  it('an update deletes the app the new version no longer declares; a name another app has is refused', async () => {
    await tendOk(['start', join(twoApps(['a', 'b']), 'app.js'), '--name', 'b']);
    const clash = await tendRun(['install', twoApps(['a', 'b'])]);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain("two-apps declares `b`, the name of an app that is not this module's");
    expect(leftInModules()).toEqual([]);
    expect((await tend.list()).map((p) => p.name)).toEqual(['b']);
    await tendOk(['delete', 'b']);

    await tendOk(['install', twoApps(['a', 'b'])]);
    const both = await tend.waitFor((l) => l.length === 2 && l.every((p) => p.status === 'online'), 10_000, 'a and b');
    expect(both.map((p) => [p.name, (p as Listed).module])).toEqual([
      ['a', 'two-apps'],
      ['b', 'two-apps'],
    ]);
    twoApps(['a']);
    const updated = await tendOk(['module', 'update', 'two-apps']);
    expect(updated.stdout).toMatch(/- b\s+delete/);
    expect((await tend.list()).map((p) => p.name)).toEqual(['a']);
  }, 90_000);
});

describe('tend install refuses bad input and leaves nothing behind', () => {
  it.each([
    [
      'a tarball that does not exist',
      () => join(tend.work, 'nope-1.0.0.tgz'),
      /nope-1\.0\.0\.tgz: no such file or folder; nothing was installed/,
    ],
    [
      'a package without apps',
      () => join(FIXTURES, 'no-apps'),
      /no-apps\/package\.json:1:1: tend-fixture-no-apps declares no apps: a module lists them under `tend`/,
    ],
    [
      'a package whose app keys are invalid',
      () => join(FIXTURES, 'bad-keys'),
      /bad-keys\/package\.json:6:18 tend\.instances: expected a whole number[^\n]*\n[^\n]*bad-keys\/package\.json:7:5 tend\.max_restars: unknown key `max_restars`; did you mean `max_restarts`\?/,
    ],
  ])(
    '%s',
    async (_what, source, message) => {
      const result = await tendRun(['install', source()]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(leftInModules()).toEqual([]);
      expect(await tend.list()).toEqual([]);
    },
    60_000,
  );

  it('an unknown module for uninstall, set, unset, get and module update is named, exit 1', async () => {
    for (const args of [
      ['uninstall', 'nope'],
      ['set', 'nope:a', '1'],
      ['unset', 'nope:a'],
      ['get', 'nope'],
      ['module', 'update', 'nope'],
    ]) {
      const result = await tendRun(args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toContain('no module named `nope` is installed (installed: none)');
    }
    expect((await tendRun(['set', 'nope'])).code).toBe(1);
    expect((await tendRun(['set', 'nope', 'x'])).stderr).toContain('expected MODULE:KEY');
  }, 60_000);
});
