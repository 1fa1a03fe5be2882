// dist/sync-agent.cjs: the pull agent `tend sync` starts as a managed app. It keeps a clone of a git repo, and on
// each new commit of the branch applies the file with `tend apply --prune` (the owner is the file in the clone, so
// prune deletes only what this agent applied). A fetch that fails, or a file that is refused, leaves the running apps
// as they are; status.json and the agent's log say what happened.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type AgentOptions, parseAgentArgs } from './agent-options.js';
import { readSyncStatus, type SyncStatus, writeSyncStatus } from './status.js';

function run(file: string, args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 10 * 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

async function git(args: string[], cwd?: string): Promise<string> {
  // No prompt for credentials: a repo that needs them and has none fails the fetch, it does not hang the agent.
  const result = await run('git', ['-c', 'core.askPass=true', ...args], cwd);
  if (result.code !== 0)
    throw new Error(result.stderr.trim().split('\n').slice(-3).join(' ') || `git ${args[0]} failed`);
  return result.stdout.trim();
}

/** Fetches the branch (cloning the first time) and returns its newest commit. */
async function fetch(options: AgentOptions, clone: string): Promise<string> {
  if (!existsSync(join(clone, '.git'))) {
    mkdirSync(options.dir, { recursive: true });
    await git([
      'clone',
      '--quiet',
      '--no-checkout',
      '--single-branch',
      '--branch',
      options.branch,
      options.repo,
      clone,
    ]);
  } else {
    await git(
      ['fetch', '--quiet', 'origin', `+refs/heads/${options.branch}:refs/remotes/origin/${options.branch}`],
      clone,
    );
  }
  return git(['rev-parse', `refs/remotes/origin/${options.branch}`], clone);
}

async function check(options: AgentOptions, status: SyncStatus): Promise<void> {
  const clone = join(options.dir, 'repo');
  status.checkedAt = Date.now();
  let commit: string;
  try {
    commit = await fetch(options, clone);
  } catch (err) {
    status.lastResult = 'fetch-failed';
    status.lastError = err instanceof Error ? err.message : String(err);
    console.error(
      `cannot fetch ${options.repo} (${options.branch}): ${status.lastError}; the running apps stay as they are`,
    );
    return;
  }
  status.lastSeen = commit;
  if (commit === status.lastAttempted) {
    if (status.lastResult === 'fetch-failed') status.lastResult = 'unchanged';
    return;
  }
  status.lastAttempted = commit;
  await git(['checkout', '--quiet', '--force', '--detach', commit], clone);
  const file = join(clone, options.path);
  const args = [options.cli, 'apply', file, '--prune', ...(options.env ? ['--env', options.env] : [])];
  console.log(`${commit.slice(0, 12)}: tend ${args.slice(1).join(' ')}`);
  const result = await run(process.execPath, args, clone);
  if (result.stdout.trim()) console.log(result.stdout.trimEnd());
  if (result.code === 0) {
    status.lastResult = 'applied';
    status.lastError = null;
    return;
  }
  status.lastResult = 'apply-failed';
  status.lastError = result.stderr.trim().replace(/^tend: /, '') || `tend apply exited ${result.code}`;
  console.error(`${commit.slice(0, 12)}: not applied: ${status.lastError}`);
}

async function main(): Promise<void> {
  const options = parseAgentArgs(process.argv.slice(2));
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const before = readSyncStatus(options.dir);
  const status: SyncStatus = {
    name: options.name,
    repo: options.repo,
    branch: options.branch,
    path: options.path,
    intervalMs: options.intervalMs,
    // A restarted agent does not apply again the commit it already tried.
    lastSeen: before?.lastSeen ?? null,
    lastAttempted: before?.repo === options.repo && before.path === options.path ? before.lastAttempted : null,
    lastResult: before?.lastResult ?? null,
    lastError: before?.lastError ?? null,
    checkedAt: before?.checkedAt ?? null,
  };
  for (;;) {
    await check(options, status);
    await writeSyncStatus(options.dir, status);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
}

main().catch((err: unknown) => {
  console.error(`tend sync agent: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
