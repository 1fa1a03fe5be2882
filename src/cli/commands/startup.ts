import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { userInfo } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { lookupUser } from '../../config/users.js';
import { temporaryNameFor } from '../../core/atomic-file.js';
import { APPLY_BASE_PATH } from '../../core/defaults.js';
import { TendError } from '../../core/errors.js';
import { detectPlatform } from '../startup/detect.js';
import { installUnit, type StartupOutcome, uninstallUnit } from '../startup/install.js';
import { shWord } from '../startup/quote.js';
import { PLATFORMS, type Platform, type StartupSpec } from '../startup/spec.js';
import { INIT_SYSTEMS, type StartupPorts } from '../startup/systems.js';

declare const TEND_VERSION: string;
const version = typeof TEND_VERSION === 'string' ? TEND_VERSION : '0.0.0-dev';

export interface StartupOptions {
  username?: string;
  hp?: string;
  serviceName?: string;
  user?: boolean;
  unitDir?: string;
  dryRun?: boolean;
}

/** `tend startup [platform]`: a unit that starts tend at boot and brings back the apps of the last `tend save`. */
export async function startupCommand(platformArg: string | undefined, options: StartupOptions): Promise<number> {
  const { spec, file } = resolveStartup(platformArg, options);
  const system = INIT_SYSTEMS[spec.platform];
  if (options.dryRun) {
    process.stdout.write(system.render(spec));
    process.stderr.write(`(dry run) this is what \`tend startup\` would write to ${file}; nothing was changed\n`);
    return 0;
  }
  if (spec.scope === 'system' && !isRoot()) {
    process.stdout.write(
      `To start tend at boot for ${spec.user}, run this as root (\`tend startup --user\` needs no root, with systemd):\n` +
        `${sudoLine(spec, options)}\n`,
    );
    return 0;
  }
  const outcome = installUnit(system, spec, file, realPorts, process.env);
  report(outcome, outcome.changed ? `wrote ${file}` : `${file} is up to date`);
  if (outcome.failed) return failed(outcome, 'startup');
  const name = spec.platform === 'systemd' ? `${spec.serviceName}.service` : spec.serviceName;
  const when = spec.scope === 'user' && spec.platform === 'launchd' ? 'at login' : 'at boot';
  process.stdout.write(
    `${name} is enabled: ${when} it starts tend for ${spec.user} and brings back the apps of the last \`tend save\`\n`,
  );
  if (!existsSync(join(spec.tendHome, 'dump.json')))
    process.stdout.write(`no apps saved in ${spec.tendHome} yet: run \`tend save\` once they run\n`);
  if (spec.platform === 'systemd' && spec.scope === 'user' && !existsSync(`/var/lib/systemd/linger/${spec.user}`))
    process.stdout.write(
      `a user unit starts with your first login; to start it at boot: loginctl enable-linger ${spec.user}\n`,
    );
  return 0;
}

/** `tend unstartup [platform]`: disables and removes what `tend startup` wrote; the running daemon and apps stay. */
export async function unstartupCommand(platformArg: string | undefined, options: StartupOptions): Promise<number> {
  const { spec, file } = resolveStartup(platformArg, options);
  if (spec.scope === 'system' && !isRoot()) {
    process.stdout.write(
      `To stop starting tend at boot for ${spec.user}, run this as root:\n${sudoLine(spec, options, 'unstartup')}\n`,
    );
    return 0;
  }
  const outcome = uninstallUnit(INIT_SYSTEMS[spec.platform], spec, file, realPorts, process.env);
  report(outcome, outcome.changed ? `removed ${file}` : `no unit at ${file}: nothing to remove`);
  if (outcome.failed) return failed(outcome, 'unstartup');
  if (outcome.changed)
    process.stdout.write('tend no longer starts at boot; the daemon and the apps running now are left as they are\n');
  return 0;
}

function report(outcome: StartupOutcome, first: string): void {
  process.stdout.write(`${first}\n`);
  for (const step of outcome.ran) if (!step.question) process.stdout.write(`ran: ${step.argv.join(' ')}\n`);
}

function failed(outcome: StartupOutcome, verb: string): number {
  const f = outcome.failed!;
  const output = f.output.trim();
  process.stderr.write(
    `tend: \`${f.argv.join(' ')}\` exited ${f.code}${output ? `:\n${output}` : ''}\n` +
      `tend: ${verb === 'startup' ? `the unit is at ${outcome.file}` : 'nothing more was done'}; run \`tend ${verb}\` again once that is fixed\n`,
  );
  return 1;
}

/** Everything the unit says, from the options, the user database and this very process (its node, its tend). */
function resolveStartup(platformArg: string | undefined, options: StartupOptions): { spec: StartupSpec; file: string } {
  const platform = platformOf(platformArg);
  const scope = options.user ? 'user' : 'system';
  if (scope === 'user' && platform === 'openrc')
    throw new TendError('USAGE', 'OpenRC has no user services here: run `tend startup openrc` as root');
  const self = userInfo();
  let user = self.username;
  // As src/core/home.ts: $HOME when set, so the unit names the TEND_HOME this user's `tend` uses.
  let home = process.env.HOME || self.homedir;
  if (options.username !== undefined) {
    const entry = lookupUser(options.username);
    if (!entry) throw new TendError('USAGE', `-u ${options.username}: no such user (\`getent passwd\` finds none)`);
    user = entry.name;
    home = entry.home;
    if (scope === 'user' && user !== self.username)
      throw new TendError(
        'USAGE',
        `a user unit belongs to the user who runs it: run \`tend startup --user\` as ${user}, or leave out --user`,
      );
  }
  if (options.hp !== undefined) home = resolve(options.hp);
  const system = INIT_SYSTEMS[platform];
  const serviceName = options.serviceName ?? system.defaultServiceName(user, scope);
  if (!/^[A-Za-z0-9@._-]+$/.test(serviceName) || serviceName.startsWith('.'))
    throw new TendError(
      'USAGE',
      `--service-name ${JSON.stringify(serviceName)}: use letters, digits and . _ - @ only (it names a file)`,
    );
  const nodePath = process.execPath;
  const envHome = process.env.TEND_HOME;
  const spec: StartupSpec = {
    platform,
    scope,
    serviceName,
    user,
    home,
    tendHome: envHome !== undefined && envHome !== '' ? resolve(envHome) : join(home, '.tend'),
    nodePath,
    cliPath: realpathSync(process.argv[1] ?? ''),
    path: unitPath(nodePath, process.env.PATH ?? ''),
    version,
  };
  return { spec, file: system.unitFile(spec, options.unitDir, process.env) };
}

function platformOf(arg: string | undefined): Platform {
  if (arg !== undefined) {
    if ((PLATFORMS as readonly string[]).includes(arg)) return arg as Platform;
    throw new TendError('USAGE', `unknown init system \`${arg}\`; tend writes for ${PLATFORMS.join(', ')}`);
  }
  const detected = detectPlatform({ platform: process.platform, exists: existsSync, path: process.env.PATH ?? '' });
  if (detected === null)
    throw new TendError(
      'USAGE',
      `cannot tell which init system this machine runs; name it: tend startup ${PLATFORMS.join('|')}`,
    );
  return detected;
}

/** The folder of the node that runs tend first, then the caller's PATH, then the usual system folders. */
export function unitPath(nodePath: string, callerPath: string): string {
  const folders = [dirname(nodePath), ...callerPath.split(delimiter), ...APPLY_BASE_PATH.split(':')];
  return [...new Set(folders.filter((folder) => folder.startsWith('/')))].join(delimiter);
}

/** PM2's habit: the exact line to paste, with the PATH and TEND_HOME that sudo would otherwise reset. */
function sudoLine(spec: StartupSpec, options: StartupOptions, verb = 'startup'): string {
  const words = [
    'sudo',
    'env',
    `PATH=${spec.path}`,
    `TEND_HOME=${spec.tendHome}`,
    spec.nodePath,
    spec.cliPath,
    verb,
    spec.platform,
    '-u',
    spec.user,
    '--hp',
    spec.home,
    ...(options.serviceName !== undefined ? ['--service-name', options.serviceName] : []),
    ...(options.unitDir !== undefined ? ['--unit-dir', resolve(options.unitDir)] : []),
  ];
  return words.map(shWord).join(' ');
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

const realPorts: StartupPorts = {
  readFile(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  },
  writeFile(path, text, mode) {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = temporaryNameFor(path);
    writeFileSync(tmp, text, { mode });
    chmodSync(tmp, mode);
    renameSync(tmp, path);
  },
  removeFile: (path) => rmSync(path, { force: true }),
  exists: existsSync,
  run(argv) {
    const [program, ...args] = argv as [string, ...string[]];
    const result = spawnSync(program, args, { encoding: 'utf8', timeout: 60_000 });
    if (result.error) return { code: 127, output: result.error.message };
    return { code: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
  },
};
