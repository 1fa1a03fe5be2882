import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'plist';
import { afterAll, describe, expect, it } from 'vitest';
import { renderLaunchdPlist } from '../../../../src/cli/startup/launchd.js';
import { renderOpenrcScript } from '../../../../src/cli/startup/openrc.js';
import type { StartupSpec } from '../../../../src/cli/startup/spec.js';
import { renderSystemdUnit } from '../../../../src/cli/startup/systemd.js';
import { systemdWords } from '../../../fixtures/systemd-words.js';

const work = mkdtempSync(join(tmpdir(), 'tend-units-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A tend installed where paths are awkward: a space, a `%` and a `$` in them, as systemd's quoting must carry. */
function awkwardInstall(): { nodePath: string; cliPath: string } {
  const bin = join(work, 'my node %x $y');
  mkdirSync(bin, { recursive: true });
  const nodePath = join(bin, 'node');
  writeFileSync(nodePath, '#!/bin/sh\nprintf "%s\\n" "$@"\n');
  chmodSync(nodePath, 0o755);
  return { nodePath, cliPath: join(bin, 'dist', 'cli.cjs') };
}

function specFor(overrides: Partial<StartupSpec> = {}): StartupSpec {
  return {
    platform: 'systemd',
    scope: 'system',
    serviceName: 'tend-alice',
    user: 'alice',
    home: '/home/alice',
    tendHome: '/home/alice/.tend',
    nodePath: process.execPath,
    cliPath: '/opt/tend/dist/cli.cjs',
    path: '/usr/local/bin:/usr/bin:/bin',
    version: '1.2.3',
    ...overrides,
  };
}

/** `systemd-analyze verify`: exit 0 and not one warning (an unknown key only warns). */
function verify(unit: string, name: string, scope: 'system' | 'user'): { code: number | null; output: string } {
  const dir = mkdtempSync(join(work, 'unit-'));
  const file = join(dir, name);
  writeFileSync(file, unit);
  const runtime = mkdtempSync(join(work, 'runtime-'));
  chmodSync(runtime, 0o700);
  const args = scope === 'user' ? ['--user', 'verify', file] : ['verify', file];
  const result = spawnSync('systemd-analyze', args, {
    encoding: 'utf8',
    env: { ...process.env, XDG_RUNTIME_DIR: runtime, SYSTEMD_LOG_LEVEL: 'notice' },
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

describe('the systemd unit', () => {
  it('passes systemd-analyze verify, as a system unit and as a user unit', () => {
    expect(verify(renderSystemdUnit(specFor()), 'tend-alice.service', 'system')).toEqual({ code: 0, output: '' });
    const user = renderSystemdUnit(specFor({ scope: 'user', serviceName: 'tend' }));
    expect(verify(user, 'tend.service', 'user')).toEqual({ code: 0, output: '' });
  });

  it('passes with a space, a % and a $ in every path', () => {
    const spec = specFor({
      ...awkwardInstall(),
      tendHome: join(work, 'home %h $HOME', '.tend'),
      path: '/a b:/usr/bin',
    });
    expect(verify(renderSystemdUnit(spec), 'tend-alice.service', 'system')).toEqual({ code: 0, output: '' });
  });

  it('runs tend by absolute path, keeps the apps on a crash, and carries TEND_HOME and PATH', () => {
    const unit = renderSystemdUnit(specFor());
    expect(unit).toContain('KillMode=process\n');
    expect(unit).toContain('Restart=on-failure\n');
    expect(unit).toContain('Type=forking\nUser=alice\n');
    expect(unit).toContain('PIDFile=/home/alice/.tend/daemon.pid\n');
    expect(unit).toContain('LimitNOFILE=65536\n');
    expect(unit).toContain('Environment=TEND_HOME=/home/alice/.tend\n');
    expect(unit).toContain('Environment=PATH=/usr/local/bin:/usr/bin:/bin\n');
    expect(unit).toContain(`ExecStart=-${process.execPath} /opt/tend/dist/cli.cjs resurrect\n`);
    expect(unit).toContain('WantedBy=multi-user.target\n');
    const user = renderSystemdUnit(specFor({ scope: 'user' }));
    expect(user).not.toContain('User=');
    expect(user).toContain('WantedBy=default.target\n');
  });

  it('ExecStop runs `tend kill` only while systemd knows the daemon ($MAINPID), with every path intact', () => {
    const spec = specFor(awkwardInstall());
    const line = renderSystemdUnit(spec)
      .split('\n')
      .find((l) => l.startsWith('ExecStop='))!;
    const [program, ...args] = systemdWords(line.slice('ExecStop='.length));
    // The stand-in node prints its arguments: what `tend kill` would have received.
    const run = (env: Record<string, string>) =>
      spawnSync(program!, args, { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', ...env } }).stdout;
    expect(run({ MAINPID: '4242' })).toBe(`${spec.cliPath}\nkill\n`);
    // The daemon exited by itself (`tend update` from a shell): its apps are the next daemon's, nothing is killed.
    expect(run({})).toBe('');
  });
});

describe('the launchd property list', () => {
  it('parses as a plist: tend resurrect at load, as the user, with TEND_HOME and PATH', () => {
    const spec = specFor({ platform: 'launchd', serviceName: 'tend.alice', tendHome: '/Users/a & b/.tend' });
    const parsed = parse(renderLaunchdPlist(spec)) as Record<string, unknown>;
    expect(parsed).toEqual({
      Label: 'tend.alice',
      UserName: 'alice',
      ProgramArguments: [process.execPath, '/opt/tend/dist/cli.cjs', 'resurrect'],
      EnvironmentVariables: { TEND_HOME: '/Users/a & b/.tend', PATH: '/usr/local/bin:/usr/bin:/bin' },
      WorkingDirectory: '/home/alice',
      RunAtLoad: true,
      AbandonProcessGroup: true,
    });
    const agent = parse(renderLaunchdPlist({ ...spec, scope: 'user' })) as Record<string, unknown>;
    expect(agent.UserName).toBeUndefined();
  });
});

describe('the OpenRC script', () => {
  it('passes sh -n and runs each verb as the user, every path one word', () => {
    const spec = specFor({ platform: 'openrc', ...awkwardInstall(), tendHome: "/home/o'brien/.tend" });
    const script = renderOpenrcScript(spec);
    const file = join(work, 'tend-alice');
    writeFileSync(file, script);
    const check = spawnSync('sh', ['-n', file], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    expect(script.startsWith('#!/sbin/openrc-run\n')).toBe(true);
    // tend_run with a stand-in `su` that runs what it was given: the words reach node as they are.
    const fakeBin = mkdtempSync(join(work, 'bin-'));
    writeFileSync(join(fakeBin, 'su'), '#!/bin/sh\nshift 3\nshift\nexec sh -c "$@"\n');
    chmodSync(join(fakeBin, 'su'), 0o755);
    const out = spawnSync('sh', ['-c', `. "${file}"; tend_run kill`], {
      encoding: 'utf8',
      env: { PATH: `${fakeBin}:/usr/bin:/bin` },
    });
    expect(out.stdout).toBe(`${spec.cliPath}\nkill\n`);
  });
});
