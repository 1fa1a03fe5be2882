import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { nowhere } from '../../../src/config/locator.js';
import { moduleAppsOf } from '../../../src/config/module-apps.js';
import { loadModule } from '../../../src/config/module-load.js';
import { Report } from '../../../src/config/report.js';
import { tendErrorOf } from './helpers.js';

function read(data: unknown) {
  const report = new Report(nowhere);
  const pkg = moduleAppsOf(data, report);
  return { pkg, problems: report.problems.map((p) => `${p.path ?? ''}: ${p.message}`) };
}

describe('moduleAppsOf: where a package.json declares its apps', () => {
  test.each([
    ['`tend` as one app', { name: 'm', tend: { script: 'a.js' } }, [['tend']]],
    [
      '`tend` as a list',
      { name: 'm', tend: [{ script: 'a.js' }, { script: 'b.js' }] },
      [
        ['tend', 0],
        ['tend', 1],
      ],
    ],
    ['`tend` in an ecosystem shape', { name: 'm', tend: { apps: [{ script: 'a.js' }] } }, [['tend', 'apps', 0]]],
    ["PM2's `apps` list", { name: 'm', apps: [{ script: 'a.js' }] }, [['apps', 0]]],
    ['`tend` wins over `apps`', { name: 'm', tend: { script: 'a.js' }, apps: [{ script: 'b.js' }] }, [['tend']]],
  ])('%s', (_what, data, paths) => {
    const { pkg, problems } = read(data);
    expect(problems).toEqual([]);
    expect(pkg.apps.map((app) => app.path)).toEqual(paths);
  });

  test('the only app is named after the module unless it has a name', () => {
    expect(read({ name: 'pinger', tend: { script: 'a.js' } }).pkg.apps[0]!.raw).toEqual({
      name: 'pinger',
      script: 'a.js',
    });
    expect(read({ name: 'pinger', tend: { name: 'own', script: 'a.js' } }).pkg.apps[0]!.raw).toEqual({
      name: 'own',
      script: 'a.js',
    });
    // Two apps keep the names the ecosystem rules give them (the script's), so they do not clash.
    expect(read({ name: 'p', tend: [{ script: 'a.js' }, { script: 'b.js' }] }).pkg.apps.map((a) => a.raw)).toEqual([
      { script: 'a.js' },
      { script: 'b.js' },
    ]);
  });

  test('the version and the `config` defaults come along', () => {
    const { pkg } = read({ name: 'm', version: '1.2.3', config: { interval: '10s' }, tend: { script: 'a.js' } });
    expect(pkg).toMatchObject({ name: 'm', version: '1.2.3', defaults: { interval: '10s' } });
  });

  test.each([
    [
      'no apps at all',
      { name: 'lib', main: 'index.js' },
      [": lib declares no apps: a module lists them under `tend` (the keys of an ecosystem app) or PM2's `apps`"],
    ],
    ['an empty list', { name: 'm', tend: [] }, ['tend: `tend` lists no apps; a module needs at least one']],
    [
      'a string',
      { name: 'm', apps: 'a.js' },
      ['apps: expected an app, a list of apps, or `{ apps: [...] }`; got "a.js"'],
    ],
    ['no name', { tend: { script: 'a.js' } }, [': package.json has no `name`: a module is known by its name']],
    [
      '`config` not a mapping',
      { name: 'm', config: 3, tend: { script: 'a.js' } },
      ['config: expected `config` to map setting names to default values; got 3'],
    ],
    ['not an object', [1], [': expected package.json to hold an object; got a list ([1])']],
  ])('refused: %s', (_what, data, expected) => {
    expect(read(data).problems).toEqual(expected);
  });
});

describe('loadModule: the package checked as an ecosystem file is', () => {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  function packageDir(json: string, files: Record<string, string> = {}): string {
    const dir = mkdtempSync(join(tmpdir(), 'tend-module-unit-'));
    made.push(dir);
    writeFileSync(join(dir, 'package.json'), json);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  }

  test('a wrong key is reported at package.json:line:col under the label', async () => {
    const dir = packageDir('{\n  "name": "m",\n  "tend": {\n    "script": "a.js",\n    "instances": "lots"\n  }\n}\n', {
      'a.js': '',
    });
    const error = await tendErrorOf(() => loadModule(dir, { home: '/h', label: 'm/package.json', settings: {} }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.problems[0]).toMatchObject({
      path: 'tend.instances',
      position: { file: 'm/package.json', line: 5, column: 18 },
    });
  });

  test('apps run in the package folder with the module variables, settings over the defaults', async () => {
    const dir = packageDir(
      JSON.stringify({ name: 'm', config: { a: '1', b: 2 }, tend: { script: 'a.js', env: { OWN: 'x' } } }),
      { 'a.js': '' },
    );
    const loaded = await loadModule(dir, { home: '/h', label: 'm/package.json', settings: { a: 'set' } });
    const [app] = loaded.desired.apps;
    expect(app!.name).toBe('m');
    expect(app!.run.cwd).toBe(dir);
    expect(app!.run.script).toBe(join(dir, 'a.js'));
    expect(app!.run.env).toMatchObject({
      OWN: 'x',
      TEND_MODULE: 'm',
      TEND_MODULE_CONFIG: '{"a":"set","b":2}',
      TEND_CONFIG_A: 'set',
      TEND_CONFIG_B: '2',
    });
    expect(app!.envSources.TEND_MODULE).toBe('module');
    expect(app!.envSources.OWN).toBe('env');
  });
});
