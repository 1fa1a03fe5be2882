/** The init systems `tend startup` writes for. */
export type Platform = 'systemd' | 'launchd' | 'openrc';

export const PLATFORMS: readonly Platform[] = ['systemd', 'launchd', 'openrc'];

/**
 * Everything a unit says, decided once by `tend startup` (src/cli/commands/startup.ts) and rendered by each init
 * system's module: the renderers are pure, so tests compare their text and feed it to each system's own checker.
 */
export interface StartupSpec {
  platform: Platform;
  /** `system`: started at boot by the system manager, as `user` (root writes it); `user`: the user's own manager. */
  scope: 'system' | 'user';
  /** systemd/OpenRC service name, launchd label. */
  serviceName: string;
  /** The account tend runs as, and its home. */
  user: string;
  home: string;
  /** TEND_HOME of that tend: its socket, state and `tend save` list. */
  tendHome: string;
  /** The node that ran `tend startup`, and this installation's `tend` (dist/cli.cjs), both absolute. */
  nodePath: string;
  cliPath: string;
  /** PATH for tend and the apps it starts: the folder of that node first. */
  path: string;
  /** tend's version, named in the unit's header comment. */
  version: string;
}

/** Open files allowed to tend and every app it starts: well above the 1024 most systems give a service by default. */
export const OPEN_FILES_LIMIT = 65536;

/** The command line of one tend verb as the unit runs it: node and dist/cli.cjs by absolute path, no PATH lookup. */
export function tendCommand(spec: StartupSpec, ...args: string[]): string[] {
  return [spec.nodePath, spec.cliPath, ...args];
}

/** The unit's first comment lines: who wrote it, what it does, how to take it away. */
export function headerLines(spec: StartupSpec): string[] {
  return [
    `Written by \`tend startup\` (tend ${spec.version}) for ${spec.user}: starts tend at boot and brings back the apps`,
    `of the last \`tend save\` in ${spec.tendHome}. \`tend unstartup\` removes it.`,
  ];
}
