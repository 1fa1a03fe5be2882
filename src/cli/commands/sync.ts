import { mkdirSync, readdirSync } from 'node:fs';
import { basename, isAbsolute, join, normalize, resolve } from 'node:path';
import { desiredFromApps } from '../../config/index.js';
import { parseDuration } from '../../config/units.js';
import { TendError } from '../../core/errors.js';
import { agentArgs } from '../../sync/agent-options.js';
import { readSyncStatus, type SyncStatus, syncDir } from '../../sync/status.js';
import { distFile, paths } from '../context.js';
import { renderTable, terminalSafe } from '../output.js';
import { applyDesired, printWarnings } from './apply.js';

export interface SyncOptions {
  path?: string;
  branch?: string;
  interval?: string;
  env?: string;
  name?: string;
}

/** A fetch every few seconds at most: a remote is not to be hammered, and a local one does not need it. */
const MIN_INTERVAL_MS = 1000;

/**
 * `tend sync REPO --path FILE`: a pull agent, started as a managed app named `sync-<repo>` (so it restarts, logs and
 * lists like any app), applies the file on each new commit of the branch. `tend sync status`: what each agent saw.
 */
export async function syncCommand(repoOrVerb: string, options: SyncOptions): Promise<number> {
  if (repoOrVerb === 'status') return syncStatusCommand();
  if (!options.path) throw new TendError('USAGE', 'tend sync needs --path: the ecosystem file inside the repo');
  const path = normalize(options.path);
  if (isAbsolute(path) || path.startsWith('..'))
    throw new TendError('USAGE', `--path is a file inside the repo (relative, no ".."); got \`${options.path}\``);
  const intervalMs = options.interval === undefined ? 30_000 : parseDuration(options.interval);
  if (intervalMs === undefined || intervalMs < MIN_INTERVAL_MS)
    throw new TendError('USAGE', `--interval: a duration of 1s or more ("30s", "5m"); got \`${options.interval}\``);
  const branch = options.branch ?? 'main';
  // A local path is made absolute: the agent runs from its own folder.
  const repo = /^[a-z][a-z0-9+.-]*:\/\/|^[^/]+@[^/]+:/i.test(repoOrVerb) ? repoOrVerb : resolve(repoOrVerb);
  const name = options.name ?? `sync-${basename(repo).replace(/\.git$/, '') || 'repo'}`;
  const home = paths().home;
  const dir = syncDir(home, name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const desired = await desiredFromApps(
    [
      {
        name,
        script: distFile('sync-agent.cjs'),
        args: agentArgs({
          name,
          repo,
          branch,
          path,
          intervalMs,
          env: options.env ?? null,
          dir,
          cli: distFile('cli.cjs'),
        }),
        cwd: dir,
        probe: false,
        restart_delay: 5000,
      },
    ],
    { home, baseEnv: { kind: 'clean' }, cwd: process.cwd(), origin: 'command line' },
  );
  printWarnings(desired.warnings);
  const code = await applyDesired(desired, { onlyNames: [name] }, false);
  if (code === 0)
    process.stdout.write(
      `${name} follows ${repo} (${branch}) every ${intervalMs / 1000}s: \`tend sync status\`, \`tend logs ${name}\`\n`,
    );
  return code;
}

function syncStatusCommand(): number {
  const root = join(paths().home, 'sync');
  let names: string[] = [];
  try {
    names = readdirSync(root).sort();
  } catch {
    // No agent yet.
  }
  const statuses = names.map((name) => readSyncStatus(join(root, name))).filter((s): s is SyncStatus => s !== null);
  if (statuses.length === 0) {
    process.stdout.write('No pull agent: start one with `tend sync REPO --path ecosystem.yml`.\n');
    return 0;
  }
  const rows = statuses.map((s) => [
    s.name,
    terminalSafe(`${s.repo} (${s.branch})`, false),
    s.path,
    s.lastSeen?.slice(0, 12) ?? '-',
    s.lastAttempted?.slice(0, 12) ?? '-',
    s.lastResult ?? '-',
    s.checkedAt === null ? '-' : new Date(s.checkedAt).toISOString().slice(11, 19),
  ]);
  let out = renderTable(['name', 'repo', 'path', 'last seen', 'last applied', 'result', 'checked'], rows, false);
  for (const s of statuses) {
    if (!s.lastError) continue;
    const lines = s.lastError.split('\n').map((line) => terminalSafe(line, false));
    out += `\n${s.name}: ${lines.join('\n  ')}`;
  }
  process.stdout.write(`${out}\n`);
  return 0;
}
