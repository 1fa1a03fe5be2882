import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import type { AppOwner, DesiredState } from '../config/types.js';
import { ownerKeyOf } from '../plan/ownership.js';

/**
 * The record the daemon keeps on every app this apply touches: the key prune and take-over compare, and for people
 * the file's hash and, when it sits in a git work tree, its commit, branch, remote and whether the tree was dirty.
 */
export async function ownerOf(desired: Pick<DesiredState, 'file' | 'project'>, now = Date.now()): Promise<AppOwner> {
  const base: AppOwner = { key: ownerKeyOf(desired), at: now, user: currentUser() };
  if (desired.project !== undefined) base.project = desired.project;
  if (desired.file === null) return base;
  const [hash, git] = await Promise.all([fileHash(desired.file), gitOf(desired.file)]);
  return { ...base, file: desired.file, ...(hash ? { hash } : {}), ...(git ? { git } : {}) };
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? 'unknown');
  }
}

async function fileHash(file: string): Promise<string | undefined> {
  try {
    return createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
  } catch {
    return undefined;
  }
}

/** Whether a `.git` sits in the file's folder or above it: most files are in none, and then no git runs. */
function inWorkTree(file: string): boolean {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return true;
    if (dirname(dir) === dir) return false;
  }
}

function git(cwd: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, encoding: 'utf8', timeout: 5000, maxBuffer: 1 << 20 }, (err, stdout) =>
      resolve(err ? null : stdout),
    );
  });
}

/** One `git status` gives commit, branch, upstream and dirtiness; the upstream's remote gives the URL. */
async function gitOf(file: string): Promise<AppOwner['git'] | undefined> {
  if (!inWorkTree(file)) return undefined;
  const cwd = dirname(file);
  const status = await git(cwd, ['status', '--porcelain=v2', '--branch', '--untracked-files=no']);
  if (status === null) return undefined;
  const header = (name: string) => status.match(new RegExp(`^# branch\\.${name} (.+)$`, 'm'))?.[1];
  const commit = header('oid');
  if (commit === undefined || commit === '(initial)') return undefined;
  const head = header('head');
  const upstream = header('upstream');
  const remoteName = upstream?.split('/')[0] ?? 'origin';
  const url = (await git(cwd, ['remote', 'get-url', remoteName]))?.trim();
  // A URL may carry a token (https://user:token@host/...): the record is shown by `tend show`, so it goes.
  const remote = url ? url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1') : null;
  return {
    commit,
    branch: head === undefined || head === '(detached)' ? null : head,
    remote,
    dirty: status.split('\n').some((line) => line !== '' && !line.startsWith('#')),
  };
}

/** The desired state with only its owner key (`tend plan`: no git, no hash, which only the apply records). */
export function withOwnerKey<T extends Pick<DesiredState, 'file' | 'project'>>(desired: T): T & { owner: AppOwner } {
  const owner: AppOwner = { key: ownerKeyOf(desired), at: Date.now(), user: currentUser() };
  if (desired.project !== undefined) owner.project = desired.project;
  if (desired.file !== null) owner.file = desired.file;
  return { ...desired, owner };
}

/** The desired state with its owner record, as every apply sends it. */
export async function withOwner<T extends Pick<DesiredState, 'file' | 'project'>>(
  desired: T,
): Promise<T & { owner: AppOwner }> {
  return { ...desired, owner: await ownerOf(desired) };
}
