import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { npmInstall, type RunProgram } from '../../../../src/cli/modules/npm-install.js';
import { isTendError } from '../../../../src/core/errors.js';

let prefix: string;
afterEach(() => rmSync(prefix, { recursive: true, force: true }));

/** An npm that records its call and "installs" by writing the prefix's package.json. */
function fakeNpm(
  code: number,
  dependencies: Record<string, string>,
  output = '',
): { run: RunProgram; calls: string[][] } {
  const calls: string[][] = [];
  const run: RunProgram = async (command, args) => {
    calls.push([command, ...args]);
    if (code === 0) writeFileSync(join(prefix, 'package.json'), JSON.stringify({ dependencies }));
    return { code, output };
  };
  return { run, calls };
}

describe('npmInstall', () => {
  test('installs into the prefix, never globally, without audit or funding, folders copied; answers the name', async () => {
    prefix = mkdtempSync(join(tmpdir(), 'tend-npm-unit-'));
    const npm = fakeNpm(0, { 'tend-health-pinger': 'file:../x' });
    expect(await npmInstall(prefix, '/src/pinger', npm.run)).toBe('tend-health-pinger');
    expect(npm.calls).toEqual([
      [
        'npm',
        'install',
        '--prefix',
        prefix,
        '--no-audit',
        '--no-fund',
        '--no-update-notifier',
        '--install-links',
        '--omit=dev',
        '--loglevel=error',
        '/src/pinger',
      ],
    ]);
    expect(npm.calls[0]).not.toContain('-g');
  });

  test("a failing npm is MODULE_INSTALL with npm's last lines", async () => {
    prefix = mkdtempSync(join(tmpdir(), 'tend-npm-unit-'));
    const npm = fakeNpm(1, {}, 'npm error code E404\nnpm error 404 Not Found - GET https://registry/nope\n');
    const error = await npmInstall(prefix, 'nope', npm.run).catch((e: unknown) => e);
    expect(isTendError(error) && error.code).toBe('MODULE_INSTALL');
    expect(isTendError(error) && error.describe()).toBe(
      'npm could not install nope (exit 1); nothing was installed\n  npm error code E404\n  npm error 404 Not Found - GET https://registry/nope',
    );
  });

  test('npm missing from PATH is MODULE_INSTALL too', async () => {
    prefix = mkdtempSync(join(tmpdir(), 'tend-npm-unit-'));
    const run: RunProgram = () => Promise.reject(new Error('spawn npm ENOENT'));
    const error = await npmInstall(prefix, 'x', run).catch((e: unknown) => e);
    expect(isTendError(error) && error.message).toBe('could not run npm to install x: spawn npm ENOENT');
  });
});
