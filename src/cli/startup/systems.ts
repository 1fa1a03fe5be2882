import { join } from 'node:path';
import { launchdPlistFile, renderLaunchdPlist } from './launchd.js';
import { openrcScriptFile, renderOpenrcScript } from './openrc.js';
import type { Platform, StartupSpec } from './spec.js';
import { renderSystemdUnit, systemdUnitFile } from './systemd.js';

/** The side effects of installing a unit, as small functions: the real ones in src/cli/commands/startup.ts, fakes in tests. */
export interface StartupPorts {
  /** The file's text, or null when there is none. */
  readFile(path: string): string | null;
  /** Writes the file (its folder made first) with this mode. */
  writeFile(path: string, text: string, mode: number): void;
  removeFile(path: string): void;
  exists(path: string): boolean;
  /** Runs a program to its end: its exit code (127 when it cannot be run) and what it printed. */
  run(argv: string[]): { code: number; output: string };
}

/**
 * The init systems' own programs, each replaceable through an environment variable: tests point them at a fake that
 * records its arguments, so that no test runs the real systemctl or touches the machine's units.
 */
export const TOOL_VARIABLES = {
  systemctl: 'TEND_SYSTEMCTL',
  launchctl: 'TEND_LAUNCHCTL',
  'rc-update': 'TEND_RC_UPDATE',
} as const;

export type Tool = keyof typeof TOOL_VARIABLES;

export function toolPath(tool: Tool, env: NodeJS.ProcessEnv): string {
  const override = env[TOOL_VARIABLES[tool]];
  return override && override !== '' ? override : tool;
}

/** One init system: where its unit goes, what the unit says, and how it is switched on and off. */
export interface InitSystem {
  platform: Platform;
  defaultServiceName(user: string, scope: StartupSpec['scope']): string;
  unitFile(spec: StartupSpec, dir: string | undefined, env: NodeJS.ProcessEnv): string;
  render(spec: StartupSpec): string;
  /** Mode of the unit file. */
  mode: number;
  /** After the file is written (`changed`) or found as it should be: enable it, once. */
  enable(spec: StartupSpec, file: string, changed: boolean, sh: Shell): void;
  /** Before the file is removed: disable it if it is enabled. */
  disable(spec: StartupSpec, file: string, sh: Shell): void;
  /** After the file is removed. */
  forget(spec: StartupSpec, sh: Shell): void;
}

/** Runs the init system's programs, recording each; `check` runs one whose failure is an answer, not an error. */
export interface Shell {
  tool(tool: Tool): string;
  /** Runs a command that must succeed; a failure stops the installation (StartupFailure). */
  must(argv: string[]): void;
  /** Runs a question (is it enabled?): true when it exits 0. */
  check(argv: string[]): boolean;
  exists(path: string): boolean;
}

const systemd: InitSystem = {
  platform: 'systemd',
  defaultServiceName: (user, scope) => (scope === 'user' ? 'tend' : `tend-${user}`),
  unitFile: systemdUnitFile,
  render: renderSystemdUnit,
  mode: 0o644,
  enable(spec, _file, changed, sh) {
    const ctl = systemctl(spec, sh);
    const unit = `${spec.serviceName}.service`;
    if (changed) sh.must([...ctl, 'daemon-reload']);
    if (!sh.check([...ctl, 'is-enabled', '--quiet', unit])) sh.must([...ctl, 'enable', unit]);
  },
  disable(spec, _file, sh) {
    const ctl = systemctl(spec, sh);
    const unit = `${spec.serviceName}.service`;
    if (sh.check([...ctl, 'is-enabled', '--quiet', unit])) sh.must([...ctl, 'disable', unit]);
  },
  forget(spec, sh) {
    sh.must([...systemctl(spec, sh), 'daemon-reload']);
  },
};

function systemctl(spec: StartupSpec, sh: Shell): string[] {
  return spec.scope === 'user' ? [sh.tool('systemctl'), '--user'] : [sh.tool('systemctl')];
}

const launchd: InitSystem = {
  platform: 'launchd',
  defaultServiceName: (user) => `tend.${user}`,
  unitFile: (spec, dir) => launchdPlistFile(spec, dir),
  render: renderLaunchdPlist,
  mode: 0o644,
  enable(spec, file, changed, sh) {
    const loaded = sh.check([sh.tool('launchctl'), 'list', spec.serviceName]);
    if (loaded && !changed) return;
    // launchd reads a plist when it loads it: a changed one is unloaded first.
    if (loaded) sh.must([sh.tool('launchctl'), 'unload', file]);
    sh.must([sh.tool('launchctl'), 'load', '-w', file]);
  },
  disable(spec, file, sh) {
    if (sh.check([sh.tool('launchctl'), 'list', spec.serviceName]))
      sh.must([sh.tool('launchctl'), 'unload', '-w', file]);
  },
  forget() {},
};

const RUNLEVEL = 'default';

const openrc: InitSystem = {
  platform: 'openrc',
  defaultServiceName: (user) => `tend-${user}`,
  unitFile: (spec, dir) => openrcScriptFile(spec, dir),
  render: renderOpenrcScript,
  mode: 0o755,
  enable(spec, _file, _changed, sh) {
    if (!sh.exists(join('/etc/runlevels', RUNLEVEL, spec.serviceName)))
      sh.must([sh.tool('rc-update'), 'add', spec.serviceName, RUNLEVEL]);
  },
  disable(spec, _file, sh) {
    if (sh.exists(join('/etc/runlevels', RUNLEVEL, spec.serviceName)))
      sh.must([sh.tool('rc-update'), 'del', spec.serviceName, RUNLEVEL]);
  },
  forget() {},
};

export const INIT_SYSTEMS: Readonly<Record<Platform, InitSystem>> = { systemd, launchd, openrc };
