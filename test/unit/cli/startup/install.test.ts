import { describe, expect, it } from 'vitest';
import { installUnit, uninstallUnit } from '../../../../src/cli/startup/install.js';
import type { StartupSpec } from '../../../../src/cli/startup/spec.js';
import { INIT_SYSTEMS, type StartupPorts } from '../../../../src/cli/startup/systems.js';

const spec: StartupSpec = {
  platform: 'systemd',
  scope: 'system',
  serviceName: 'tend-alice',
  user: 'alice',
  home: '/home/alice',
  tendHome: '/home/alice/.tend',
  nodePath: '/usr/bin/node',
  cliPath: '/opt/tend/dist/cli.cjs',
  path: '/usr/bin:/bin',
  version: '1.2.3',
};

/** Files in a map, and a systemctl/launchctl/rc-update that remember what is enabled. */
function fakeMachine(options: { failOn?: string } = {}) {
  const files = new Map<string, string>();
  const enabled = new Set<string>();
  const calls: string[] = [];
  const writes: string[] = [];
  const ports: StartupPorts = {
    readFile: (path) => files.get(path) ?? null,
    writeFile(path, text) {
      writes.push(path);
      files.set(path, text);
    },
    removeFile: (path) => void files.delete(path),
    exists: (path) => files.has(path) || enabled.has(path),
    run(argv) {
      const line = argv.join(' ');
      calls.push(line);
      if (options.failOn && line.includes(options.failOn)) return { code: 1, output: 'Failed to connect to bus' };
      const unit = argv[argv.length - 1]!;
      if (argv.includes('is-enabled') || argv[1] === 'list') return { code: enabled.has(unit) ? 0 : 1, output: '' };
      if (argv.includes('enable')) enabled.add(unit);
      if (argv.includes('disable')) enabled.delete(unit);
      const label = unit.replace(/^.*\//, '').replace(/\.plist$/, '');
      if (argv[1] === 'load') enabled.add(label);
      if (argv[1] === 'unload') enabled.delete(label);
      if (argv[1] === 'add') enabled.add(`/etc/runlevels/default/${argv[2]}`);
      if (argv[1] === 'del') enabled.delete(`/etc/runlevels/default/${argv[2]}`);
      return { code: 0, output: '' };
    },
  };
  return { ports, files, calls, writes };
}

const env = { TEND_SYSTEMCTL: '/fake/systemctl' };
const file = '/units/tend-alice.service';

describe('tend startup with systemd', () => {
  it('writes the unit, reloads systemd and enables it; a second run changes nothing', () => {
    const machine = fakeMachine();
    const first = installUnit(INIT_SYSTEMS.systemd, spec, file, machine.ports, env);
    expect(first.changed).toBe(true);
    expect(machine.calls).toEqual([
      '/fake/systemctl daemon-reload',
      '/fake/systemctl is-enabled --quiet tend-alice.service',
      '/fake/systemctl enable tend-alice.service',
    ]);
    machine.calls.length = 0;
    const second = installUnit(INIT_SYSTEMS.systemd, spec, file, machine.ports, env);
    expect(second.changed).toBe(false);
    expect(machine.writes).toEqual([file]);
    expect(machine.calls).toEqual(['/fake/systemctl is-enabled --quiet tend-alice.service']);
  });

  it('a user unit goes through `systemctl --user`', () => {
    const machine = fakeMachine();
    installUnit(INIT_SYSTEMS.systemd, { ...spec, scope: 'user', serviceName: 'tend' }, file, machine.ports, env);
    expect(machine.calls).toEqual([
      '/fake/systemctl --user daemon-reload',
      '/fake/systemctl --user is-enabled --quiet tend.service',
      '/fake/systemctl --user enable tend.service',
    ]);
  });

  it('a changed unit is written again and systemd reloaded, but not enabled twice', () => {
    const machine = fakeMachine();
    installUnit(INIT_SYSTEMS.systemd, spec, file, machine.ports, env);
    machine.calls.length = 0;
    const moved = installUnit(INIT_SYSTEMS.systemd, { ...spec, tendHome: '/srv/tend' }, file, machine.ports, env);
    expect(moved.changed).toBe(true);
    expect(machine.files.get(file)).toContain('Environment=TEND_HOME=/srv/tend');
    expect(machine.calls).toEqual([
      '/fake/systemctl daemon-reload',
      '/fake/systemctl is-enabled --quiet tend-alice.service',
    ]);
  });

  it('unstartup disables and removes it; a second unstartup only asks', () => {
    const machine = fakeMachine();
    installUnit(INIT_SYSTEMS.systemd, spec, file, machine.ports, env);
    machine.calls.length = 0;
    const removed = uninstallUnit(INIT_SYSTEMS.systemd, spec, file, machine.ports, env);
    expect(removed.changed).toBe(true);
    expect(machine.files.has(file)).toBe(false);
    expect(machine.calls).toEqual([
      '/fake/systemctl is-enabled --quiet tend-alice.service',
      '/fake/systemctl disable tend-alice.service',
      '/fake/systemctl daemon-reload',
    ]);
    machine.calls.length = 0;
    expect(uninstallUnit(INIT_SYSTEMS.systemd, spec, file, machine.ports, env).changed).toBe(false);
    expect(machine.calls).toEqual(['/fake/systemctl is-enabled --quiet tend-alice.service']);
  });

  it('a failing systemctl is reported as the outcome, with what it said; the unit stays written', () => {
    const machine = fakeMachine({ failOn: 'daemon-reload' });
    const outcome = installUnit(INIT_SYSTEMS.systemd, spec, file, machine.ports, env);
    expect(outcome.failed).toEqual({
      argv: ['/fake/systemctl', 'daemon-reload'],
      code: 1,
      output: 'Failed to connect to bus',
    });
    expect(machine.files.has(file)).toBe(true);
  });
});

describe('tend startup with launchd and OpenRC', () => {
  it('launchd: load -w once; a changed plist is unloaded and loaded again', () => {
    const machine = fakeMachine();
    const launchd = { ...spec, platform: 'launchd' as const, serviceName: 'tend.alice' };
    const plist = '/Library/LaunchDaemons/tend.alice.plist';
    const lenv = { TEND_LAUNCHCTL: 'launchctl' };
    installUnit(INIT_SYSTEMS.launchd, launchd, plist, machine.ports, lenv);
    installUnit(INIT_SYSTEMS.launchd, launchd, plist, machine.ports, lenv);
    installUnit(INIT_SYSTEMS.launchd, { ...launchd, tendHome: '/srv/tend' }, plist, machine.ports, lenv);
    uninstallUnit(INIT_SYSTEMS.launchd, launchd, plist, machine.ports, lenv);
    expect(machine.calls).toEqual([
      'launchctl list tend.alice',
      `launchctl load -w ${plist}`,
      'launchctl list tend.alice',
      'launchctl list tend.alice',
      `launchctl unload ${plist}`,
      `launchctl load -w ${plist}`,
      'launchctl list tend.alice',
      `launchctl unload -w ${plist}`,
    ]);
  });

  it('OpenRC: rc-update add once, del on unstartup', () => {
    const machine = fakeMachine();
    const openrc = { ...spec, platform: 'openrc' as const };
    const script = '/etc/init.d/tend-alice';
    installUnit(INIT_SYSTEMS.openrc, openrc, script, machine.ports, {});
    installUnit(INIT_SYSTEMS.openrc, openrc, script, machine.ports, {});
    uninstallUnit(INIT_SYSTEMS.openrc, openrc, script, machine.ports, {});
    expect(machine.calls).toEqual(['rc-update add tend-alice default', 'rc-update del tend-alice default']);
  });
});
