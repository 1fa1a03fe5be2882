import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { parse } from 'plist';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemdWords } from '../fixtures/systemd-words.js';
import { CLI, fixture, isAlive, TendHarness } from './harness.js';

let tend: TendHarness;
let scratch: string;
beforeEach(() => {
  tend = new TendHarness();
  scratch = mkdtempSync(join(tmpdir(), 'tend-startup-'));
});
afterEach(async () => {
  await tend.teardown();
  rmSync(scratch, { recursive: true, force: true });
});

const isRoot = process.getuid?.() === 0;

/** `systemd-analyze verify` of a unit text: exit code and everything it said (a warning counts). */
function verify(unit: string, name: string, scope: 'system' | 'user'): { code: number | null; output: string } {
  const dir = mkdtempSync(join(scratch, 'verify-'));
  writeFileSync(join(dir, name), unit);
  const runtime = mkdtempSync(join(scratch, 'runtime-'));
  chmodSync(runtime, 0o700);
  const result = spawnSync('systemd-analyze', [...(scope === 'user' ? ['--user'] : []), 'verify', join(dir, name)], {
    encoding: 'utf8',
    env: { ...process.env, XDG_RUNTIME_DIR: runtime },
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

/** The value of each `Key=` line of a unit, in order. */
function settings(unit: string, key: string): string[] {
  return unit
    .split('\n')
    .filter((line) => line.startsWith(`${key}=`))
    .map((line) => line.slice(key.length + 1));
}

/** A stand-in systemctl that records its arguments and remembers what is enabled, as the real one would answer. */
function fakeSystemctl(): { path: string; calls: () => string[] } {
  const path = join(scratch, 'systemctl');
  const log = join(scratch, 'systemctl.log');
  writeFileSync(
    path,
    `#!/bin/sh
echo "$*" >> '${log}'
state='${scratch}/enabled-'"$(echo "$*" | sed 's/.* //')"
case " $* " in
  *" is-enabled "*) [ -e "$state" ] ;;
  *" enable "*) touch "$state" ;;
  *" disable "*) rm -f "$state" ;;
esac
`,
  );
  chmodSync(path, 0o755);
  return { path, calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []) };
}

describe('tend startup --dry-run', () => {
  it('prints a systemd unit, system or user, that passes systemd-analyze verify, and changes nothing', async () => {
    const system = await tend.ok(['startup', 'systemd', '--dry-run']);
    expect(system.stderr).toMatch(/\(dry run\).*nothing was changed/);
    expect(verify(system.stdout, 'tend-test.service', 'system')).toEqual({ code: 0, output: '' });
    expect(settings(system.stdout, 'Environment')).toEqual([
      `TEND_HOME=${tend.home}`,
      expect.stringMatching(new RegExp(`^PATH=${process.execPath.replace(/\/node$/, '')}:`)),
    ]);
    expect(settings(system.stdout, 'ExecStop')[0]).toContain(`${CLI} kill`);

    const user = await tend.ok(['startup', 'systemd', '--user', '--dry-run']);
    expect(verify(user.stdout, 'tend.service', 'user')).toEqual({ code: 0, output: '' });
    expect(settings(user.stdout, 'WantedBy')).toEqual(['default.target']);
    expect(existsSync(join(tend.home, 'daemon.pid'))).toBe(false);
  });

  it('prints a launchd plist that parses, and an OpenRC script that sh -n accepts', async () => {
    const plist = parse((await tend.ok(['startup', 'launchd', '--dry-run'])).stdout) as Record<string, unknown>;
    expect(plist.ProgramArguments).toEqual([process.execPath, CLI, 'resurrect']);
    expect((plist.EnvironmentVariables as Record<string, string>).TEND_HOME).toBe(tend.home);
    expect(plist.RunAtLoad).toBe(true);

    const script = join(scratch, 'tend-openrc');
    writeFileSync(script, (await tend.ok(['startup', 'openrc', '--dry-run'])).stdout);
    const check = spawnSync('sh', ['-n', script], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
  });
});

describe.skipIf(!isRoot)('tend startup as root (a unit folder and systemctl of the test)', () => {
  it('writes and enables the unit once; a second run changes nothing; unstartup disables and removes it', async () => {
    const systemctl = fakeSystemctl();
    const units = join(scratch, 'units');
    const env = { TEND_SYSTEMCTL: systemctl.path };
    const args = ['startup', 'systemd', '--unit-dir', units, '--service-name', 'tend-test'];
    const first = await tend.ok(args, { env });
    const file = join(units, 'tend-test.service');
    expect(first.stdout).toContain(`wrote ${file}`);
    expect(first.stdout).toMatch(/tend-test\.service is enabled: at boot it starts tend/);
    expect(verify(readFileSync(file, 'utf8'), 'tend-test.service', 'system')).toEqual({ code: 0, output: '' });
    expect(systemctl.calls()).toEqual([
      'daemon-reload',
      'is-enabled --quiet tend-test.service',
      'enable tend-test.service',
    ]);
    const written = statSync(file).mtimeMs;

    const second = await tend.ok(args, { env });
    expect(second.stdout).toContain(`${file} is up to date`);
    expect(second.stdout).not.toContain('ran:');
    expect(statSync(file).mtimeMs).toBe(written);
    expect(systemctl.calls().slice(3)).toEqual(['is-enabled --quiet tend-test.service']);

    const removed = await tend.ok(['unstartup', 'systemd', '--unit-dir', units, '--service-name', 'tend-test'], {
      env,
    });
    expect(removed.stdout).toContain(`removed ${file}`);
    expect(existsSync(file)).toBe(false);
    expect(systemctl.calls().slice(4)).toEqual([
      'is-enabled --quiet tend-test.service',
      'disable tend-test.service',
      'daemon-reload',
    ]);
    const again = await tend.ok(['unstartup', 'systemd', '--unit-dir', units, '--service-name', 'tend-test'], { env });
    expect(again.stdout).toContain('nothing to remove');
    expect(systemctl.calls().slice(7)).toEqual(['is-enabled --quiet tend-test.service']);
  });

  it('--user goes through `systemctl --user` and names loginctl enable-linger when lingering is off', async () => {
    const systemctl = fakeSystemctl();
    const units = join(scratch, 'user-units');
    const result = await tend.ok(['startup', '--user', '--unit-dir', units], {
      env: { TEND_SYSTEMCTL: systemctl.path },
    });
    expect(existsSync(join(units, 'tend.service'))).toBe(true);
    expect(systemctl.calls()).toEqual([
      '--user daemon-reload',
      '--user is-enabled --quiet tend.service',
      '--user enable tend.service',
    ]);
    if (!existsSync(`/var/lib/systemd/linger/${userInfo().username}`))
      expect(result.stdout).toContain(`loginctl enable-linger ${userInfo().username}`);
  });

  it('a systemctl that fails is reported with what it said, and the exit code is 1', async () => {
    const failing = join(scratch, 'failing-systemctl');
    writeFileSync(
      failing,
      '#!/bin/sh\necho "System has not been booted with systemd as init system (PID 1)." >&2\nexit 1\n',
    );
    chmodSync(failing, 0o755);
    const result = await tend.run(['startup', 'systemd', '--unit-dir', join(scratch, 'u')], {
      env: { TEND_SYSTEMCTL: failing },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('daemon-reload` exited 1:\nSystem has not been booted with systemd');
  });
});

describe('tend startup as a user who is not root', () => {
  const runuser = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find(existsSync) ?? 'runuser';
  const nobodyCanRun =
    isRoot && spawnSync(runuser, ['-u', 'nobody', '--', process.execPath, CLI, '--version']).status === 0;
  it.skipIf(!nobodyCanRun)('prints the exact sudo line to run and exits 0, writing nothing', () => {
    const result = spawnSync(runuser, ['-u', 'nobody', '--', process.execPath, CLI, 'startup', 'systemd'], {
      encoding: 'utf8',
      env: { PATH: '/usr/bin:/bin', HOME: scratch, TEND_HOME: join(scratch, 'nobody-home') },
    });
    expect(result.status).toBe(0);
    const line = result.stdout.split('\n').find((l) => l.startsWith('sudo '));
    // runuser sets HOME to the user's own, as sudo and a login would.
    const nobodyHome = spawnSync('getent', ['passwd', 'nobody'], { encoding: 'utf8' }).stdout.split(':')[5];
    const nodeDir = process.execPath.replace(/\/node$/, '');
    expect(line).toBe(
      `sudo env PATH=${[...new Set([nodeDir, '/usr/bin', '/bin', '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/sbin'])].join(':')} TEND_HOME=${join(scratch, 'nobody-home')} ${process.execPath} ${CLI} startup systemd -u nobody --hp ${nobodyHome}`,
    );
    expect(existsSync(join(scratch, 'nobody-home'))).toBe(false);
  });
});

describe("the unit's commands, run by hand", () => {
  /** Two apps saved, one of them stopped, in another home whose daemon and apps are then gone: its `dump.json`. */
  async function savedList(): Promise<string> {
    const before = new TendHarness();
    try {
      // In this test's folder, which outlives the other home.
      await before.ok(['start', fixture('forever.js'), '--name', 'web'], { cwd: tend.work });
      await before.ok(['start', fixture('forever.js'), '--name', 'batch'], { cwd: tend.work });
      await before.ok(['stop', 'batch']);
      expect((await before.ok(['save'])).stdout).toMatch(/saved 2 apps/);
      await before.ok(['kill']);
      return readFileSync(join(before.home, 'dump.json'), 'utf8');
    } finally {
      await before.teardown();
    }
  }

  /** ExecStart (or another Exec line) of the unit tend writes for this home, run with the unit's environment. */
  async function unitCommand(key: 'ExecStart' | 'ExecStop', extraEnv: Record<string, string> = {}) {
    const unit = (await tend.ok(['startup', 'systemd', '--dry-run'])).stdout;
    const env: Record<string, string> = { HOME: userInfo().homedir, USER: userInfo().username, ...extraEnv };
    for (const assignment of settings(unit, 'Environment').flatMap(systemdWords)) {
      const at = assignment.indexOf('=');
      env[assignment.slice(0, at)] = assignment.slice(at + 1);
    }
    const [program, ...args] = systemdWords(settings(unit, key)[0]!.replace(/^-/, ''));
    return spawnSync(program!, args, { encoding: 'utf8', env, timeout: 30_000 });
  }

  it('ExecStart on a fresh TEND_HOME holding `tend save` output brings the running apps back', async () => {
    writeFileSync(join(tend.home, 'dump.json'), await savedList());

    const start = await unitCommand('ExecStart');
    expect(start.status, start.stderr).toBe(0);
    const web = (await tend.list()).find((p) => p.name === 'web');
    expect(web?.status).toBe('online');

    // A daemon that exited by itself (as `tend update` from a shell leaves it): ExecStop without $MAINPID kills nothing.
    const daemon = tend.daemonPid()!;
    expect((await unitCommand('ExecStop')).status).toBe(0);
    expect(isAlive(daemon)).toBe(true);
    expect(isAlive(web!.pid!)).toBe(true);
    // systemd stopping the unit: $MAINPID set, `tend kill` stops every app and the daemon.
    const stop = await unitCommand('ExecStop', { MAINPID: String(daemon) });
    expect(stop.stdout).toMatch(/stopped \d+ process(es)? and the daemon/);
    expect(isAlive(web!.pid!)).toBe(false);
  });

  // Before the save/resurrect rework in this same change set, `tend resurrect` started the stopped app too (the saved
  // spec's autostart is true; the saved statuses were not read): the unit would have inherited that.
  it('ExecStart leaves an app that was stopped when saved stopped', async () => {
    writeFileSync(join(tend.home, 'dump.json'), await savedList());
    expect((await unitCommand('ExecStart')).status).toBe(0);
    const batch = (await tend.list()).find((p) => p.name === 'batch');
    expect(batch?.status).toBe('stopped');
  });
});
