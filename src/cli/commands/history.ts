import type { AppSpec, DesiredState } from '../../config/types.js';
import { TendError } from '../../core/errors.js';
import { ownerLabel } from '../../plan/ownership.js';
import { type HistoryEntry, readHistory, readHistoryEntry } from '../../runtime/history.js';
import { paths } from '../context.js';
import { renderTable, terminalSafe } from '../output.js';
import { type FileOptions, applyDesired } from './apply.js';

/** `tend history [APP]`: each apply, start, delete and rollback, newest last; with APP, those that touched it. */
export async function historyCommand(app: string | undefined, options: { json?: boolean }): Promise<number> {
  const entries = readHistory(paths().home).filter(
    (entry) => app === undefined || app in entry.before || app in entry.after,
  );
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify(entries.map(({ desired, before, after, ...rest }) => ({ ...rest, apps: Object.keys(after) })))}\n`,
    );
    return 0;
  }
  if (entries.length === 0) {
    process.stdout.write(
      app === undefined ? 'No history yet: it starts with the next apply.\n' : `No history of ${app}.\n`,
    );
    return 0;
  }
  const rows = entries.map((entry) => [
    String(entry.id),
    new Date(entry.at).toISOString().replace('T', ' ').slice(0, 19),
    entry.kind,
    ownerLabel(entry.owner),
    entry.owner?.git ? `${entry.owner.git.commit.slice(0, 8)}${entry.owner.git.dirty ? '+' : ''}` : '-',
    entry.result,
    terminalSafe(entry.summary, false),
  ]);
  process.stdout.write(
    `${renderTable(['id', 'time (utc)', 'kind', 'owner', 'commit', 'result', 'summary'], rows, false)}\n`,
  );
  return 0;
}

/**
 * What `tend rollback [ID]` goes back to. With an ID: that entry's desired state, for its owner, its other apps of the
 * same scope deleted (prune is the owner's own). Without: the state before the last successful change, for the apps
 * it touched (each back to its previous spec, or deleted if it was new).
 */
export function rollbackTarget(
  entries: readonly HistoryEntry[],
  id: number | undefined,
  read: (id: number) => HistoryEntry,
): { entry: HistoryEntry; desired: DesiredState; options: FileOptions } {
  if (id !== undefined) {
    const entry = read(id);
    if (entry.kind === 'delete' || entry.result === 'refused')
      throw new TendError(
        'USAGE',
        `history entry ${id} is a ${entry.result === 'refused' ? 'refused apply' : 'delete'}: it has no desired state to go back to; roll back to an apply`,
      );
    const names = entry.scope ?? undefined;
    return {
      entry,
      desired: desiredOf(entry, entry.desired),
      options: { prune: true, onlyNames: names, deps: false, takeOver: true },
    };
  }
  // The last change that did something and ended well (a rollback too: rolling back twice undoes the undo).
  const last = [...entries].reverse().find((entry) => entry.result === 'ok' && Object.keys(entry.before).length > 0);
  if (!last) throw new TendError('USAGE', 'no successful apply, start or delete in the history to go back from');
  const apps = Object.values(last.before).filter((spec): spec is AppSpec => spec !== null);
  return {
    entry: last,
    desired: desiredOf(last, apps),
    options: { prune: true, onlyNames: Object.keys(last.before), deps: false, takeOver: true },
  };
}

function desiredOf(entry: HistoryEntry, apps: AppSpec[]): DesiredState {
  const owner = entry.owner;
  return {
    file: owner?.file ?? null,
    ...(owner?.project ? { project: owner.project } : {}),
    apps,
    warnings: [],
  };
}

/** `tend rollback [ID] [--dry-run]`: prints the plan back, then carries it out (recorded as a rollback). */
export async function rollbackCommand(
  idText: string | undefined,
  options: { dryRun?: boolean },
  command?: { optsWithGlobals(): Record<string, unknown> },
): Promise<number> {
  const id = idText === undefined ? undefined : Number(idText);
  if (id !== undefined && (!Number.isInteger(id) || id <= 0))
    throw new TendError('USAGE', `rollback takes the id of a history entry (see \`tend history\`); got \`${idText}\``);
  const home = paths().home;
  const {
    entry,
    desired,
    options: applyOptions,
  } = rollbackTarget(readHistory(home), id, (n) => readHistoryEntry(home, n));
  process.stdout.write(
    id === undefined
      ? `Rolling back entry ${entry.id} (${entry.summary}): its apps as they were before it.\n`
      : `Rolling back to entry ${entry.id} (${new Date(entry.at).toISOString()}, ${ownerLabel(entry.owner)}).\n`,
  );
  const verbose = Boolean(command?.optsWithGlobals().verbose);
  return applyDesired(desired, { ...applyOptions, dryRun: options.dryRun }, verbose, { recordAs: 'rollback' });
}
