import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname } from 'node:path';
import { TendError } from '../../core/errors.js';
import { completionPlaces, type FilePorts, installCompletion, uninstallCompletion } from '../completion/install.js';
import { completionScript, SHELLS, type Shell } from '../completion/scripts.js';

/** `tend completion bash|zsh|fish` prints the script; `install [shell]` and `uninstall [shell]` put it in place or take it away. */
export async function completionCommand(what: string, shellArg: string | undefined): Promise<number> {
  if (isShell(what)) {
    if (shellArg !== undefined) throw new TendError('USAGE', `\`tend completion ${what}\` takes nothing more`);
    process.stdout.write(completionScript(what));
    return 0;
  }
  const shell = shellArg === undefined ? shellFromEnv() : shellArg;
  if (!isShell(shell))
    throw new TendError('USAGE', `no completion for the shell \`${shell}\`; tend has one for ${SHELLS.join(', ')}`);
  const places = completionPlaces(shell, process.env.HOME || homedir(), process.env);
  if (what === 'install') {
    const changes = installCompletion(shell, places, realFiles);
    for (const line of changes) process.stdout.write(`${line}\n`);
    if (changes.length === 0) process.stdout.write(`tend's ${shell} completion is installed already: nothing to do\n`);
    else if (places.rc) process.stdout.write(`open a new shell, or run: source ${places.rc}\n`);
    else process.stdout.write('open a new shell to use it\n');
    return 0;
  }
  const changes = uninstallCompletion(places, realFiles);
  for (const line of changes) process.stdout.write(`${line}\n`);
  if (changes.length === 0) process.stdout.write(`tend's ${shell} completion is not installed: nothing to do\n`);
  return 0;
}

function isShell(name: string): name is Shell {
  return (SHELLS as readonly string[]).includes(name);
}

/** The login shell, from $SHELL: what `tend completion install` installs for when no shell is named. */
function shellFromEnv(): string {
  const shell = process.env.SHELL;
  if (!shell)
    throw new TendError(
      'USAGE',
      `SHELL is not set, so tend cannot tell your shell; name it: tend completion install ${SHELLS.join('|')}`,
    );
  return basename(shell);
}

const realFiles: FilePorts = {
  read(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  },
  write(path, text) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  },
  remove: (path) => rmSync(path, { force: true }),
};
