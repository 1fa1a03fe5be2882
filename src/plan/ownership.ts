import type { AppOwner, DesiredState } from '../config/types.js';
import { TendError } from '../core/errors.js';
import type { ObservedApp } from './types.js';

/** The owner key of a desired state: its project, else its file, else the command line (`tend start app.js`). */
export function ownerKeyOf(desired: Pick<DesiredState, 'file' | 'project'>): string {
  if (desired.project !== undefined) return `project:${desired.project}`;
  return desired.file === null ? 'cli' : `file:${desired.file}`;
}

/** How `ls` and the plan name an owner: the project, the file's name, `cli`, or `-` for an app from before owners. */
export function ownerLabel(owner: Pick<AppOwner, 'key'> | null | undefined): string {
  if (!owner) return '-';
  if (owner.key.startsWith('project:')) return owner.key.slice('project:'.length);
  if (owner.key.startsWith('file:')) return owner.key.slice(owner.key.lastIndexOf('/') + 1);
  return owner.key;
}

/**
 * Apps this desired state names that another file, project or the command line owns. An app recorded before owners
 * existed has none: the first apply that names it takes it.
 */
export function ownershipConflicts(
  key: string,
  wanted: ReadonlySet<string>,
  observed: readonly ObservedApp[],
): Array<{ app: string; owner: AppOwner }> {
  const conflicts: Array<{ app: string; owner: AppOwner }> = [];
  for (const app of observed)
    if (wanted.has(app.name) && app.owner && app.owner.key !== key) conflicts.push({ app: app.name, owner: app.owner });
  return conflicts;
}

/** The refusal: each app, who owns it and from where, and the flag that moves it. */
export function ownershipError(key: string, conflicts: ReadonlyArray<{ app: string; owner: AppOwner }>): TendError {
  const problems = conflicts.map(({ app, owner }) => ({
    message: `${app} is owned by ${owner.key}${owner.file && !owner.key.startsWith('file:') ? ` (${owner.file})` : ''}, applied ${new Date(owner.at).toISOString()} by ${owner.user}`,
  }));
  const what = conflicts.length === 1 ? 'an app' : `${conflicts.length} apps`;
  return new TendError(
    'OWNED_ELSEWHERE',
    `this apply (${key}) names ${what} that another owner applied; nothing was changed. Apply with --take-over to move ${conflicts.length === 1 ? 'it' : 'them'} to ${key}`,
    { problems },
  );
}
