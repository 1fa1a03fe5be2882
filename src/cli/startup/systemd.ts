import { join } from 'node:path';
import { systemdEnvironment, systemdValue, systemdWord } from './quote.js';
import { headerLines, OPEN_FILES_LIMIT, type StartupSpec, tendCommand } from './spec.js';

/** A command line: the program, then its arguments. */
const line = (words: string[]): string =>
  words.map((word, i) => systemdWord(word, i === 0 ? 'program' : 'argument')).join(' ');

/**
 * The systemd unit (docs/decisions/0025-start-at-boot-under-systemd.md has the why of each line):
 * - `Type=forking` with `PIDFile=`: ExecStart is `tend resurrect`, which starts the daemon (detached, as always) and
 *   exits once the saved apps are up; systemd then follows the daemon by its pid file. The leading `-` keeps one app
 *   that fails to come up from failing the unit: only a daemon that never wrote its pid file does.
 * - `KillMode=process`: when the daemon crashes, systemd stops only it before `Restart=on-failure` starts a new one, and
 *   the apps, in the same cgroup, keep running for the new daemon to take back. The default (`control-group`) would
 *   kill every app with it.
 * - `ExecStop=`: `tend kill` stops every app and the daemon, but only when systemd stops a running daemon
 *   (`$MAINPID` set). A daemon that exited by itself (`tend update` run from a shell, a SIGTERM) has left its apps to
 *   the next daemon, and a `tend kill` then would reach that daemon and take them all down.
 * - `ExecReload=`: `tend update` replaces the daemon without restarting an app; systemd reads the new pid file after it.
 */
export function renderSystemdUnit(spec: StartupSpec): string {
  const kill = tendCommand(spec, 'kill');
  return [
    ...headerLines(spec).map((text) => `# ${text}`),
    '[Unit]',
    `Description=${systemdValue(`tend process manager for ${spec.user}`)}`,
    'After=network.target',
    '',
    '[Service]',
    'Type=forking',
    ...(spec.scope === 'system' ? [`User=${systemdValue(spec.user)}`] : []),
    `Environment=${systemdEnvironment('TEND_HOME', spec.tendHome)}`,
    `Environment=${systemdEnvironment('PATH', spec.path)}`,
    `PIDFile=${systemdValue(join(spec.tendHome, 'daemon.pid'))}`,
    `LimitNOFILE=${OPEN_FILES_LIMIT}`,
    'KillMode=process',
    'Restart=on-failure',
    'RestartSec=2',
    `ExecStart=-${line(tendCommand(spec, 'resurrect'))}`,
    `ExecReload=${line(tendCommand(spec, 'update'))}`,
    `ExecStop=${line(['/bin/sh', '-c', 'test -z "$MAINPID" || exec "$0" "$@"', ...kill])}`,
    '',
    '[Install]',
    `WantedBy=${spec.scope === 'system' ? 'multi-user.target' : 'default.target'}`,
    '',
  ].join('\n');
}

/** Where the unit goes: the system's unit folder, or the user's (`$XDG_CONFIG_HOME/systemd/user`). */
export function systemdUnitFile(spec: StartupSpec, dir: string | undefined, env: NodeJS.ProcessEnv): string {
  const folder =
    dir ??
    (spec.scope === 'system'
      ? '/etc/systemd/system'
      : join(
          env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(spec.home, '.config'),
          'systemd',
          'user',
        ));
  return join(folder, `${spec.serviceName}.service`);
}
