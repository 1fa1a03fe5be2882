// `list` given ListParams: the rows of `tend ls`'s table, built straight from the processes. At 1,000 apps the full
// views (log and pid paths, the owner record with its hash, script, cwd, ...) were 925 KB of JSON to build, serialise
// and parse for a table that shows a tenth of it (decision 0044).
import type { ListParams, ProcessRow } from '../api/methods.js';
import type { AppOwner } from '../config/types.js';
import { moduleOf } from '../config/module-env.js';
import { ownerLabel } from '../plan/ownership.js';
import type { ManagedProcess } from './managed-process.js';
import { appVersion, runsAs } from './views.js';

/** The owner of an app by its name, as the registry keeps it; null for an app from before owners. */
export type OwnerOf = (app: string) => AppOwner | null;

/** The rows of these processes, in their order: each field as `viewOf` and the daemon's `withOwner` give it. */
export function listRows(
  processes: readonly ManagedProcess[],
  now: number,
  ownerOf: OwnerOf,
  params: ListParams,
): ProcessRow[] {
  // Apps of many instances share their owner: its label (and record) is worked out once per app.
  const owners = new Map<string, { source: string; owner: ProcessRow['owner'] }>();
  const ownerFields = (app: string): { source: string; owner: ProcessRow['owner'] } => {
    let fields = owners.get(app);
    if (fields === undefined) {
      const owner = ownerOf(app);
      fields = { source: ownerLabel(owner), owner: owner === null ? null : ownerRef(owner) };
      owners.set(app, fields);
    }
    return fields;
  };
  return processes.map((p) => {
    const { source, owner } = ownerFields(p.name);
    return rowOf(p, now, source, params.owners === true ? owner : undefined);
  });
}

/** One process's row; `owner` undefined leaves the field out (not asked for). */
export function rowOf(
  p: ManagedProcess,
  now: number,
  source: string,
  owner: ProcessRow['owner'] | undefined,
): ProcessRow {
  const spec = p.spec;
  const ctx = p.context;
  const status = p.status;
  const row: ProcessRow = {
    id: p.id,
    name: spec.name,
    namespace: spec.namespace,
    instance: p.instance,
    mode: spec.run.execMode,
    pid: ctx.pid ?? null,
    status,
    restarts: ctx.restarts,
    uptime_ms: status === 'online' && ctx.onlineSince !== null ? Math.max(0, now - ctx.onlineSince) : 0,
    cpu: p.usage?.cpu ?? 0,
    memory: p.usage?.rss ?? 0,
    user: runsAs(p),
    source,
  };
  // Left out when null: the table reads a missing field as null, and most processes have none of these.
  const version = appVersion(spec.run.cwd);
  if (version !== null) row.version = version;
  const module = moduleOf(spec);
  if (module !== null) row.module = module;
  if (spec.policy.ready !== undefined) row.ready = p.readyAt !== null;
  if (spec.policy.health !== undefined) row.health = p.liveness;
  const logProblem = p.logProblem?.message ?? (p.logNote !== null && p.logNote.until > now ? p.logNote.message : null);
  if (logProblem !== null) row.log_problem = logProblem;
  if (owner !== undefined) row.owner = owner;
  return row;
}

/** What `ls --project` and `--file` compare: the owner's project and file, without its hash, commit and user. */
function ownerRef(owner: AppOwner): NonNullable<ProcessRow['owner']> {
  const ref: NonNullable<ProcessRow['owner']> = {};
  if (owner.project !== undefined) ref.project = owner.project;
  if (owner.file !== undefined) ref.file = owner.file;
  return ref;
}
