import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { entryForApp } from '../../../../src/cli/init/from-running.js';
import { planReader } from '../../../../src/cli/init/read-entry.js';
import { desiredFromApps } from '../../../../src/config/index.js';
import type { AppSpec } from '../../../../src/config/types.js';

const work = mkdtempSync(join(tmpdir(), 'tend-init-'));
const home = join(work, 'home');
copyFileSync(join(import.meta.dirname, '../../../fixtures/apps/forever.js'), join(work, 'server.js'));
writeFileSync(join(work, 'worker.py'), 'import time\nwhile True: time.sleep(60)\n');
afterAll(() => rmSync(work, { recursive: true, force: true }));

const me = userInfo();
/** A login shell's environment, as `tend start` passes it on. */
const shell = {
  HOME: me.homedir,
  USER: me.username,
  LOGNAME: me.username,
  SHELL: me.shell ?? '/bin/sh',
  LANG: 'C.UTF-8',
  PATH: '/opt/custom/bin:/usr/bin:/bin',
  TERM: 'xterm-256color',
  NODE_ENV: 'production',
};

/** What the daemon keeps for an app given as `tend start` (shell) or `tend apply` (clean) would give it. */
async function running(raw: Record<string, unknown>, base: 'shell' | 'clean'): Promise<AppSpec> {
  const desired = await desiredFromApps([raw], {
    home,
    baseEnv: base === 'shell' ? { kind: 'shell', vars: shell } : { kind: 'clean' },
    cwd: work,
    origin: 'command line',
  });
  return desired.apps[0]!;
}

const read = planReader(work, home);

describe('tend init --from-running', () => {
  it('writes only the non-default keys of an applied app, and reads back the same', async () => {
    const spec = await running(
      {
        name: 'api',
        script: 'server.js',
        args: ['--port', '3000'],
        instances: 2,
        exec_mode: 'cluster',
        env: { GREETING: 'hi' },
        max_memory_restart: '200M',
        kill_timeout: 5000,
        watch: true,
        ignore_watch: ['logs'],
        time: true,
        max_size: '10M',
      },
      'clean',
    );
    const written = await entryForApp({ spec, stopped: false }, work, read);
    expect(written.entry).toEqual({
      name: 'api',
      script: 'server.js',
      args: ['--port', '3000'],
      instances: 2,
      env: { GREETING: 'hi' },
      exec_mode: 'cluster',
      max_memory_restart: '200M',
      kill_timeout: '5s',
      watch: ['.'],
      ignore_watch: ['logs'],
      time: true,
      max_size: '10M',
    });
    expect(written.differences).toEqual([]);
  });

  it('writes `listen` back as the file writes it, and reads back the same', async () => {
    const listen = [8080, '127.0.0.1:8081', '[::1]:8082', join(work, 'api.sock')];
    const spec = await running({ name: 'api', script: 'server.js', listen }, 'clean');
    const written = await entryForApp({ spec, stopped: false }, work, read);
    expect(written.entry).toEqual({ name: 'api', script: 'server.js', listen });
    expect(written.differences).toEqual([]);
  });

  it("keeps of a started app's shell only what apply's base would not give the same way, and marks it", async () => {
    const spec = await running({ name: 'worker', script: 'worker.py', restart_delay: 1000 }, 'shell');
    const written = await entryForApp({ spec, stopped: false }, work, read);
    expect(written.entry).toEqual({
      name: 'worker',
      script: 'worker.py',
      env: { NODE_ENV: 'production', PATH: '/opt/custom/bin:/usr/bin:/bin', TERM: 'xterm-256color' },
      restart_delay: '1s',
    });
    expect(written.shellEnv).toEqual(['NODE_ENV', 'PATH', 'TERM']);
    expect(written.differences).toEqual([]);
  });

  it('without the shell: a clean file, and what plan will show for it', async () => {
    const spec = await running({ name: 'worker', script: 'worker.py' }, 'shell');
    const written = await entryForApp({ spec, stopped: false }, work, read, { shellEnv: false });
    expect(written.entry).toEqual({ name: 'worker', script: 'worker.py' });
    expect(written.differences.map((d) => d.field).sort()).toEqual([
      'run.env.NODE_ENV',
      'run.env.PATH',
      'run.env.TERM',
    ]);
  });

  it('a stopped app says autostart: false; a variable the base sets and the app lacks is reported', async () => {
    const { LANG: _lang, ...withoutLang } = shell;
    const desired = await desiredFromApps([{ name: 'w', script: 'server.js' }], {
      home,
      baseEnv: { kind: 'shell', vars: withoutLang },
      cwd: work,
      origin: 'command line',
    });
    const written = await entryForApp({ spec: desired.apps[0]!, stopped: true }, work, read);
    expect(written.entry.autostart).toBe(false);
    expect(written.differences).toEqual([
      { field: 'run.env.LANG', from: undefined, to: 'C.UTF-8' },
      { field: 'autostart', from: true, to: false },
    ]);
  });
});
