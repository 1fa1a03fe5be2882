import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tendProcessesOfHome } from '../../src/runtime/home-processes.js';
import { APPS, Sandbox, waitFor } from './helpers.js';

let box: Sandbox;
afterEach(async () => {
  expect(await box.cleanup()).toEqual([]);
});

/** forever.js with exactly this environment. */
function startWith(env: Record<string, string>): number {
  const child = spawn(process.execPath, [path.join(APPS, 'forever.js')], { env, stdio: 'ignore', detached: true });
  child.unref();
  box.track(child.pid!);
  return child.pid!;
}

describe('tendProcessesOfHome (what `tend kill` waits for)', () => {
  it('finds the apps, cluster primaries and log writers of the home, by kind; not what only carries TEND_HOME', async () => {
    box = new Sandbox();
    const home = box.dir;
    const app = startWith({ TEND_HOME: home, TEND_APP_NAME: 'api', TEND_ID: '3' });
    const primary = startWith({ TEND_HOME: home, TEND_APP_NAME: 'web', TEND_PRIMARY_SOCKET: '/x.sock' });
    const writer = startWith({ TEND_HOME: home, TEND_LOG_WRITER: JSON.stringify({ app: 'api', instance: 0 }) });
    // A program run from a shell that exported TEND_HOME, and an app of another home.
    startWith({ TEND_HOME: home });
    startWith({ TEND_HOME: `${home}-other`, TEND_APP_NAME: 'api', TEND_ID: '3' });
    const found = await waitFor(
      () => {
        const list = tendProcessesOfHome(home);
        return list.length === 3 && list;
      },
      5000,
      'the three processes of the home',
    );
    expect(found).toEqual(
      [
        { pid: app, what: 'api (id 3)' },
        { pid: primary, what: 'cluster primary of web' },
        { pid: writer, what: 'log writer of api[0]' },
      ].sort((a, b) => a.pid - b.pid),
    );
    // Nor the caller itself.
    expect(tendProcessesOfHome(home, [app]).map((p) => p.pid)).not.toContain(app);
  });
});
