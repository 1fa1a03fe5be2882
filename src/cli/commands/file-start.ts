import { resolve } from 'node:path';
import { keepStoredBase, loadDesiredState, loadDesiredStateFromText } from '../../config/index.js';
import type { DesiredState } from '../../config/types.js';
import { formatPlan } from '../../plan/format.js';
import type { Plan } from '../../plan/types.js';
import { paths, withDaemon } from '../context.js';
import { splitList } from '../list-option.js';
import { useColor } from '../output.js';
import { callWithProgress, reportResult } from '../progress.js';
import { readStdinText } from '../stdin.js';
import { printWarnings, shellEnv } from './apply.js';

/** PM2's verbs on an ecosystem file: `start`, and `restart`/`reload` (also `startOrRestart`, `startOrReload`). */
export type FileVerb = 'start' | 'restart' | 'reload';

export interface FileStartOptions {
  only?: string;
  env?: string;
  /** `-a/--update-env`: the caller's shell replaces the environment the running apps were started with. */
  updateEnv?: boolean;
}

/** An ecosystem file by path, or the text piped to `tend start -`. */
export type EcosystemSource = { file: string } | { text: string; label: string };

/** Reads an ecosystem the way PM2's verbs do: the caller's environment under the file's, unknown keys only warned about. */
export async function loadPm2Style(source: EcosystemSource, options: FileStartOptions): Promise<DesiredState> {
  const load = {
    home: paths().home,
    envName: options.env,
    only: splitList(options.only),
    baseEnv: { kind: 'shell' as const, vars: shellEnv() },
    unknownKeys: 'warn' as const,
  };
  const desired =
    'file' in source
      ? await loadDesiredState(resolve(source.file), load)
      : await loadDesiredStateFromText(source.text, { ...load, label: source.label, cwd: process.cwd() });
  printWarnings(desired.warnings);
  return desired;
}

/**
 * `tend start FILE` (PM2's `_startJson`), `tend restart|reload FILE`, `startOrRestart|startOrReload FILE`: the file is
 * read again and every app in it ends up running what it says now. Apps not running yet are started; running ones are
 * restarted (`reload`: cluster apps one instance at a time) even when nothing changed, with every changed key in
 * effect, not only env as in PM2; their stopped instances are started. Apps the file does not name are left alone.
 *
 * The environment: `start` gives every app the caller's shell under the file's env (PM2 restarts running apps with
 * `updateEnv`); `restart` and `reload` keep the base a running app was started with, unless `--update-env`.
 */
export async function startFromFile(
  verb: FileVerb,
  source: EcosystemSource,
  options: FileStartOptions,
  verbose = false,
): Promise<number> {
  const desired = await loadPm2Style(source, options);
  const names = desired.apps.map((app) => app.name);
  const color = useColor();
  return withDaemon(async (client) => {
    let apps = desired.apps;
    if (verb !== 'start' && !options.updateEnv && names.length > 0) {
      const stored = new Map((await client.call('specs', { names })).map((view) => [view.spec.name, view.spec]));
      apps = apps.map((app) => {
        const before = stored.get(app.name);
        return before ? keepStoredBase(app, before) : app;
      });
    }
    const printPlan = (plan: Plan) => process.stdout.write(`${formatPlan(plan, { verbose, color })}\n`);
    const result = await callWithProgress(
      client,
      'apply',
      { desired: { ...desired, apps }, options: { only: names, restart: verb === 'reload' ? 'reload' : 'restart' } },
      color,
      printPlan,
    );
    return reportResult(result, color);
  });
}

/** `tend startOrRestart|startOrReload|startOrGracefulReload FILE`: PM2's names for `restart|reload FILE`. */
export async function startOrRestartCommand(
  verb: 'restart' | 'reload',
  file: string,
  options: FileStartOptions,
): Promise<number> {
  const source: EcosystemSource = file === '-' ? { text: await readStdinText(verb), label: '<stdin>' } : { file };
  return startFromFile(verb, source, options);
}
