import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ProcessView } from '../api/methods.js';
import { isRegexTarget, selectTargets, type TargetSelection, unknownTargetsError } from '../api/selectors.js';
import { isEcosystemFile } from '../config/file-kind.js';
import { TendError } from '../core/errors.js';
import { paths, withDaemon } from './context.js';
import { splitList } from './list-option.js';

/**
 * What the CLI sends for targets typed by the user: an ecosystem file becomes the names of its apps (validated first),
 * and every other word also carries the absolute path it names from here, so `tend stop echo.js` finds the app whose
 * script is ./echo.js whatever the daemon's cwd is.
 */
export async function toSelection(args: readonly string[], only?: string): Promise<TargetSelection> {
  const targets: string[] = [];
  const scripts: Record<string, string> = {};
  for (const arg of args) {
    if (isEcosystemFile(arg) && existsSync(arg)) {
      targets.push(...(await appsOfFile(arg, only)));
      continue;
    }
    targets.push(arg);
    if (arg !== 'all' && !isRegexTarget(arg)) scripts[arg] = resolve(arg);
  }
  return Object.keys(scripts).length > 0 ? { targets, scripts } : { targets };
}

/**
 * One target (`show`, `env`, `send`, `trigger`) as the daemon reads it, with its script path; an ecosystem file stands
 * for its app, and must then name exactly one.
 */
export async function toSingleTarget(arg: string): Promise<{ target: string; scripts?: Record<string, string> }> {
  const { targets, scripts } = await toSelection([arg]);
  if (targets.length !== 1)
    throw new TendError(
      'USAGE',
      `\`${arg}\` names ${targets.length} apps (${targets.join(', ') || 'none'}); give one of them, by name or id`,
    );
  return { target: targets[0]!, ...(scripts ? { scripts } : {}) };
}

/** An ecosystem file as a target stands for the app names in it. */
async function appsOfFile(file: string, only: string | undefined): Promise<string[]> {
  const { loadDesiredState } = await import('../config/index.js');
  const desired = await loadDesiredState(resolve(file), {
    home: paths().home,
    only: splitList(only),
    baseEnv: { kind: 'clean' },
  });
  return desired.apps.map((a) => a.name);
}

/** The processes the targets select among `tend ls`, by the same rules as the daemon's (src/api/selectors.ts). */
export async function selectFromList(targets: string[]): Promise<ProcessView[]> {
  const selection = await toSelection(targets);
  const views = await withDaemon((client) => client.call('list', undefined));
  const { selected, unknown } = selectTargets(views, selection, (v) => v);
  if (unknown.length > 0)
    throw unknownTargetsError(
      unknown,
      views.map((v) => v.name),
    );
  return selected;
}
