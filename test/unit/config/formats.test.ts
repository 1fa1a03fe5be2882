import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isEcosystemFile, loadDesiredState } from '../../../src/config/index.js';
import { baseOptions } from './helpers.js';

const dir = resolve('test/fixtures/ecosystems/formats');

describe('ecosystem file formats', () => {
  test.each([
    ['ecosystem.yml', dir],
    ['ecosystem.yaml', dir],
    ['ecosystem.json', dir],
    ['ecosystem.json5 (comments, unquoted keys, trailing commas)', dir],
    ['list.yml (a top-level list of apps)', dir],
    ['pm2-alias.yml (`pm2:` instead of `apps:`)', dir],
    ['ecosystem.config.cjs', dir],
    ['default-export.mjs', dir],
    ['named-export.mjs (`export const apps`)', dir],
    ['cjs/ecosystem.config.js (module.exports)', join(dir, 'cjs')],
    ['esm/ecosystem.config.js (export default, "type": "module")', join(dir, 'esm')],
  ])('%s loads both apps', async (label, appDir) => {
    const file = join(dir, label.split(' ')[0]!);
    const desired = await loadDesiredState(file, baseOptions);
    expect(desired.file).toBe(file);
    expect(desired.warnings).toEqual([]);
    expect(desired.apps.map((app) => [app.name, app.run.script, app.run.interpreter])).toEqual([
      ['web', join(appDir, 'app.js'), process.execPath],
      ['worker', join(dir, 'worker.py'), 'python3'],
    ]);
    expect(desired.apps.map((app) => app.origin)).toEqual([
      { file, index: 0 },
      { file, index: 1 },
    ]);
  });

  test('a file that is one app object loads as that app', async () => {
    const desired = await loadDesiredState(join(dir, 'single.yml'), baseOptions);
    expect(desired.apps.map((app) => app.name)).toEqual(['web']);
  });

  test('YAML anchors under `x-` keys and `<<:` merges work', async () => {
    const desired = await loadDesiredState(join(dir, 'anchors.yml'), baseOptions);
    expect(
      desired.apps.map((app) => [app.name, app.run.script, app.policy.maxMemoryRestartBytes, app.policy.killTimeoutMs]),
    ).toEqual([
      ['web', join(dir, 'app.js'), 300 * 1024 ** 2, 5000],
      ['api', join(dir, 'app.js'), 300 * 1024 ** 2, 10_000],
    ]);
  });

  test('relative paths resolve against the file folder, not the process cwd', async () => {
    expect(process.cwd()).not.toBe(dir);
    const [web] = (await loadDesiredState(join('test/fixtures/ecosystems/formats', 'ecosystem.yml'), baseOptions)).apps;
    expect(web?.run.cwd).toBe(dir);
    expect(web?.run.script).toBe(join(dir, 'app.js'));
  });

  test('a missing file is CONFIG_NOT_FOUND', async () => {
    await expect(loadDesiredState(join(dir, 'nope.yml'), baseOptions)).rejects.toMatchObject({
      code: 'CONFIG_NOT_FOUND',
    });
  });

  test('an unknown extension is CONFIG_LOAD naming the formats', async () => {
    await expect(loadDesiredState(join(dir, 'worker.py'), baseOptions)).rejects.toMatchObject({
      code: 'CONFIG_LOAD',
      message: expect.stringContaining('.yml, .yaml, .json'),
    });
  });
});

describe('a JS file edited between two loads is read again', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'tend-config-'));
    await writeFile(join(tmp, 'app.js'), '');
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  test.each([
    ['ecosystem.config.cjs', (n: number) => `module.exports = { apps: [{ name: 'v${n}', script: 'app.js' }] };`],
    ['ecosystem.config.mjs', (n: number) => `export default { apps: [{ name: 'v${n}', script: 'app.js' }] };`],
  ])('%s', async (name, source) => {
    const file = join(tmp, name);
    await writeFile(file, source(1));
    expect((await loadDesiredState(file, baseOptions)).apps[0]?.name).toBe('v1');
    await writeFile(file, source(2));
    expect((await loadDesiredState(file, baseOptions)).apps[0]?.name).toBe('v2');
  });
});

describe('isEcosystemFile', () => {
  test.each([
    ['ecosystem.config.js', true],
    ['ecosystem.config.cjs', true],
    ['prod.config.mjs', true],
    ['apps.yml', true],
    ['apps.YAML', true],
    ['ecosystem.json', true],
    ['ecosystem.json5', true],
    ['app.js', false],
    ['server.mjs', false],
    ['worker.py', false],
    ['config.js', false],
  ])('%s → %s', (path, expected) => {
    expect(isEcosystemFile(path)).toBe(expected);
  });
});
