import { existsSync } from 'node:fs';
import { isEcosystemFile } from '../../config/file-kind.js';
import { readStdinText } from '../stdin.js';
import { type FileStartOptions, loadPm2Style, startFromFile } from './file-start.js';
import { changesSpec, type RestartOptions, restartWithOptions } from './restart-options.js';

type Verb = 'stop' | 'restart' | 'reload' | 'delete';

export type Pm2TargetOptions = FileStartOptions & RestartOptions & { only?: string };

/**
 * What stop/restart/reload/delete do with PM2's forms before the plain ones: `-` (apps piped on stdin) stands for the
 * apps it names; `restart|reload FILE` (or `-`) reads the file again and starts what is missing (startFromFile);
 * `restart|reload APP --update-env --node-args … --name …` changes the app as it restarts (restartWithOptions).
 * Returns the exit code when it did the command, or the targets to go on with.
 */
export async function pm2Targets(verb: Verb, targets: string[], options: Pm2TargetOptions): Promise<number | string[]> {
  const [only] = targets;
  const single = targets.length === 1 && only !== undefined;
  const isFile = single && isEcosystemFile(only) && existsSync(only);
  const isStdin = single && only === '-';
  if (verb === 'restart' || verb === 'reload') {
    if (isFile) return startFromFile(verb, { file: only }, options);
    if (isStdin) return startFromFile(verb, { text: await readStdinText(verb), label: '<stdin>' }, options);
    if (changesSpec(options)) return restartWithOptions(verb, targets, options);
    return targets;
  }
  if (!targets.includes('-')) return targets;
  // stop/delete -: the names of the apps on stdin.
  const desired = await loadPm2Style({ text: await readStdinText(verb), label: '<stdin>' }, options);
  return [...targets.filter((t) => t !== '-'), ...desired.apps.map((app) => app.name)];
}
