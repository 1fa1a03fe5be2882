/**
 * The one place tend runs npm: `npm install` of one package into a prefix of tend's own (never `-g`, no audit, no
 * funding notice). Folders are copied (`--install-links`), not linked, so an installed module does not change
 * when its source folder does and keeps working when it is gone.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TendError } from '../../core/errors.js';

/** Runs a program and collects what it printed; a port, so tests can give another npm. */
export type RunProgram = (
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
) => Promise<{ code: number | null; output: string }>;

export const runProgram: RunProgram = (command, args, options) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      // The end says why it failed; a chatty install must not grow without bound.
      output = (output + chunk.toString()).slice(-64 * 1024);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });

/** The arguments of the install: everything into `prefix`, nothing global, nothing asked of the network but the package. */
export function npmInstallArgs(prefix: string, spec: string): string[] {
  return [
    'install',
    '--prefix',
    prefix,
    '--no-audit',
    '--no-fund',
    '--no-update-notifier',
    '--install-links',
    '--omit=dev',
    '--loglevel=error',
    spec,
  ];
}

/**
 * Installs `spec` into the empty folder `prefix` and answers the name of the package npm installed (the one
 * dependency it saved). MODULE_INSTALL, with npm's last lines, when npm fails or is not there.
 */
export async function npmInstall(prefix: string, spec: string, run: RunProgram = runProgram): Promise<string> {
  const npm = 'npm';
  const env = { ...process.env, npm_config_global: 'false', npm_config_update_notifier: 'false' };
  const result = await run(npm, npmInstallArgs(prefix, spec), { cwd: prefix, env }).catch((cause: unknown) => {
    throw new TendError('MODULE_INSTALL', `could not run ${npm} to install ${spec}: ${(cause as Error).message}`, {
      cause,
    });
  });
  if (result.code !== 0) {
    const lines = result.output.trim().split('\n').slice(-12);
    throw new TendError(
      'MODULE_INSTALL',
      `npm could not install ${spec} (exit ${result.code}); nothing was installed`,
      {
        problems: lines.map((line) => ({ message: line })),
      },
    );
  }
  const manifest = JSON.parse(await readFile(join(prefix, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const names = Object.keys(manifest.dependencies ?? {});
  if (names.length !== 1)
    throw new TendError('MODULE_INSTALL', `npm installed ${names.length} packages for ${spec}; expected one`);
  return names[0]!;
}
