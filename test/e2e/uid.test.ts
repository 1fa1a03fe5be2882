import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, fixture, freePort, processesOfHome, sleep, TendHarness, type CliResult } from './harness.js';

// Switching users needs root; as anyone else these tests cannot run at all.
const isRoot = process.getuid?.() === 0;

function account(name: string): { uid: number; gid: number; home: string } {
  const [, , uid, gid, , home] = execFileSync('getent', ['passwd', name], { encoding: 'utf8' }).trim().split(':');
  return { uid: Number(uid), gid: Number(gid), home: home! };
}

/** Real and effective ids, and supplementary groups, of a live process. */
function idsOf(pid: number): { uid: number; euid: number; gid: number; egid: number; groups: string } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): string[] =>
    new RegExp(`^${name}:[ \\t]*(.*)$`, 'm').exec(status)![1]!.trim().split(/\s+/).filter(Boolean);
  const [uid, euid] = field('Uid').map(Number);
  const [gid, egid] = field('Gid').map(Number);
  return { uid: uid!, euid: euid!, gid: gid!, egid: egid!, groups: field('Groups').join(' ') };
}

function envOf(pid: number): Record<string, string> {
  const pairs = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}

function ppidOf(pid: number): number {
  return Number(/^PPid:\s*(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}

async function get(port: number): Promise<string> {
  return (await (await fetch(`http://127.0.0.1:${port}/`)).text()).trim();
}

describe.skipIf(!isRoot)(
  isRoot
    ? 'apps run as another user (uid/gid)'
    : 'apps run as another user (skipped: switching users needs the tests to run as root)',
  () => {
    const nobody = account('nobody');
    let tend: TendHarness;
    beforeEach(() => {
      tend = new TendHarness();
      // The apps' cwd (the file's folder) must be readable by the user they run as.
      chmodSync(tend.work, 0o755);
    });
    afterEach(async () => {
      await tend.teardown();
    });

    it('a fork app with `user: nobody` runs as nobody with its primary group, HOME and USER; a change of gid restarts it', async () => {
      const port = await freePort();
      const app = (extra: string) =>
        `apps:\n  - name: web\n    script: ${fixture('http-server.js')}\n    user: nobody\n${extra}    env: { PORT: ${port} }\n`;
      const file = tend.write('eco.yml', app(''));
      const applied = await tend.ok(['apply', file]);
      expect(applied.stderr).not.toMatch(/not implemented/);
      const [first] = await tend.list();
      const pid = first!.pid!;
      expect(idsOf(pid)).toEqual({ uid: nobody.uid, euid: nobody.uid, gid: nobody.gid, egid: nobody.gid, groups: '' });
      expect(envOf(pid)).toMatchObject({ HOME: nobody.home, USER: 'nobody', LOGNAME: 'nobody' });
      expect(await get(port)).toBe(String(pid));
      // The probe cannot reach the home from nobody: it stays quiet, and the app keeps running.
      await sleep(1500);
      expect(readFileSync(first!.pm_err_log_path!, 'utf8')).toBe('');
      expect((await tend.list())[0]).toMatchObject({ status: 'online', pid, restarts: 0 });

      tend.write('eco.yml', app('    gid: 0\n'));
      const changed = await tend.ok(['apply', file]);
      expect(changed.stdout).toMatch(/~ web\s+restart/);
      const [after] = await tend.list();
      expect(after!.pid).not.toBe(pid);
      expect(idsOf(after!.pid!)).toMatchObject({ uid: nobody.uid, gid: 0 });
    });

    it('cluster workers run as the user; their primary stays root to own the listening socket', async () => {
      const port = await freePort();
      const file = tend.write(
        'eco.yml',
        `apps:\n  - name: web\n    script: ${fixture('cluster-http.cjs')}\n    uid: ${nobody.uid}\n    exec_mode: cluster\n    instances: 2\n    env: { PORT: ${port} }\n`,
      );
      await tend.ok(['apply', file]);
      const list = await tend.list();
      expect(list.map((p) => p.status)).toEqual(['online', 'online']);
      for (const p of list) {
        expect(idsOf(p.pid!)).toMatchObject({ uid: nobody.uid, gid: nobody.gid, groups: '' });
        expect(idsOf(ppidOf(p.pid!)).uid).toBe(0);
      }
      const pids = new Set<string>();
      for (let i = 0; i < 10; i++) pids.add((await get(port)).split(' ')[1]!);
      expect(pids).toEqual(new Set(list.map((p) => String(p.pid))));
    });

    describe('a tend that is not root', () => {
      /** Runs the CLI as nobody, with a home nobody owns: the daemon it starts runs as nobody too. */
      const asNobody = (args: string[]): Promise<CliResult> =>
        new Promise((resolve) => {
          execFile(
            'setpriv',
            [`--reuid=${nobody.uid}`, `--regid=${nobody.gid}`, '--clear-groups', process.execPath, CLI, ...args],
            {
              cwd: tend.work,
              env: { ...process.env, TEND_HOME: tend.home, HOME: tend.home, NO_COLOR: '1' },
              timeout: 20_000,
            },
            (error, stdout, stderr) =>
              resolve({
                code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
                stdout: String(stdout),
                stderr: String(stderr),
              }),
          );
        });

      beforeEach(() => {
        chownSync(tend.home, nobody.uid, nobody.gid);
      });

      it('refuses in the CLI with the position of the key, and in the daemon before acting on anything', async () => {
        const port = await freePort();
        const file = tend.write(
          'eco.yml',
          `apps:\n  - name: fine\n    script: ${fixture('http-server.js')}\n    env: { PORT: ${port} }\n  - name: other\n    script: ${fixture('http-server.js')}\n    user: daemon\n`,
        );
        const cli = await asNobody(['apply', file]);
        expect(cli.code).toBe(1);
        expect(cli.stderr).toContain(
          `${file}:7:11 apps[1].user: running an app as another user or group needs tend to run as root, and it runs as nobody`,
        );

        // A root CLI passes its own check; the daemon, running as nobody, is the one that refuses.
        expect((await asNobody(['ping'])).code).toBe(0);
        const daemonPid = tend.daemonPid()!;
        expect(idsOf(daemonPid).uid).toBe(nobody.uid);
        const refused = await tend.run(['apply', file]);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain(
          `tend's daemon runs as uid ${nobody.uid}, not root, so it cannot run apps as another user or group; nothing was changed`,
        );
        expect(refused.stderr).toMatch(/`other` asks for uid 1, gid 1/);
        expect(await tend.list()).toEqual([]);
        expect(processesOfHome(tend.home)).toEqual([daemonPid]);

        // Its own user is no switch at all: allowed without root.
        tend.write(
          'eco.yml',
          `apps:\n  - name: self\n    script: ${fixture('http-server.js')}\n    user: nobody\n    env: { PORT: ${port} }\n`,
        );
        expect((await asNobody(['apply', file])).code).toBe(0);
        const [self] = await tend.list();
        expect(idsOf(self!.pid!).uid).toBe(nobody.uid);
      });
    });

    it('tend start --uid/--gid runs a script as that user; an unknown one is refused before anything starts', async () => {
      const port = await freePort();
      const started = await tend.run(
        ['start', fixture('http-server.js'), '--name', 'api', '--uid', 'nobody', '--gid', '0'],
        { env: { PORT: String(port) } },
      );
      expect(started.code, started.stderr).toBe(0);
      const [api] = await tend.list();
      expect(idsOf(api!.pid!)).toMatchObject({ uid: nobody.uid, gid: 0 });
      expect(envOf(api!.pid!).HOME).toBe(nobody.home);

      const unknown = await tend.run([
        'start',
        fixture('http-server.js'),
        '--name',
        'other',
        '--uid',
        'no-such-user-tend',
      ]);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('uid: unknown user `no-such-user-tend`');
      expect((await tend.list()).map((p) => p.name)).toEqual(['api']);
    });
  },
);
