import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { TendError } from '../../core/errors.js';
import { withDaemon } from '../context.js';
import { useColor } from '../output.js';
import { callWithProgress, reportResult } from '../progress.js';
import { selectFromList } from '../selectors.js';

/** How PM2's `pull`, `forward` and `backward` move an app's git checkout. */
export type GitMove =
  /** to its upstream (`git pull --ff-only`), or to the commit given */
  | { verb: 'pull'; commit?: string }
  /** one commit newer along the upstream (or the branch) */
  | { verb: 'forward' }
  /** one commit older along it */
  | { verb: 'backward' };

const run = promisify(execFile);

/** git in `cwd`, as the user (their credentials and SSH agent reach `git pull`); its stderr is the error's message. */
async function git(cwd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return stdout.trim();
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new TendError('USAGE', 'git is not installed (or not on PATH)');
    throw new TendError('USAGE', `git ${args.join(' ')} failed in ${cwd}: ${(e.stderr ?? e.message).trim()}`, {
      cause: error,
    });
  }
}

const short = (sha: string): string => sha.slice(0, 7);

/**
 * `tend pull api [commit]`, `tend forward api`, `tend backward api` (PM2's): git moves the checkout in the app's cwd,
 * then the app is reloaded. A cwd that is not a git work tree, or that has local changes to tracked files, is refused
 * before git touches anything. Apps sharing one checkout move it once.
 */
export async function gitMoveCommand(target: string, move: GitMove): Promise<number> {
  const selected = await selectFromList([target]);
  const cwdOf = new Map(selected.map((v) => [v.name, v.cwd]));

  // Every checkout is checked before any moves: one refusal changes nothing anywhere.
  const checkouts = new Map<string, string[]>();
  for (const [name, cwd] of cwdOf) {
    const top = await git(cwd, ['rev-parse', '--show-toplevel']).catch(() => {
      throw new TendError(
        'USAGE',
        `\`${name}\` runs in ${cwd}, which is not in a git work tree: ${move.verb} moves the git checkout an app runs from`,
      );
    });
    checkouts.set(top, [...(checkouts.get(top) ?? []), name]);
  }
  for (const [top, names] of checkouts) {
    const changes = await git(top, ['status', '--porcelain', '--untracked-files=no']);
    if (changes !== '')
      throw new TendError(
        'USAGE',
        `${top} (${names.join(', ')}) has local changes; commit or stash them first, ${move.verb} would not move over them: ${changes.split('\n').join('; ')}`,
      );
  }

  const moved: string[] = [];
  let failed = false;
  for (const [top, names] of checkouts) {
    const before = await git(top, ['rev-parse', 'HEAD']);
    const outcome = await moveCheckout(top, before, move).catch((err: unknown) => {
      process.stderr.write(`tend: ${names.join(', ')}: ${err instanceof Error ? err.message : String(err)}\n`);
      failed = true;
      return null;
    });
    if (outcome === null) continue;
    const after = await git(top, ['rev-parse', 'HEAD']);
    if (after === before) {
      process.stdout.write(`${names.join(', ')}: ${outcome} at ${short(after)}; not reloaded\n`);
      continue;
    }
    process.stdout.write(`${names.join(', ')}: ${short(before)} → ${short(after)} (${move.verb} in ${top})\n`);
    moved.push(...names);
  }
  if (moved.length === 0) return failed ? 1 : 0;
  const color = useColor();
  const code = await withDaemon(async (client) =>
    reportResult(await callWithProgress(client, 'reload', { targets: moved }, color), color),
  );
  return failed ? 1 : code;
}

/** Moves the checkout; resolves with what to say when it stayed where it was. */
async function moveCheckout(top: string, head: string, move: GitMove): Promise<string> {
  if (move.verb === 'pull' && move.commit === undefined) {
    await git(top, ['pull', '--ff-only', '--quiet']);
    return 'already up to date';
  }
  if (move.verb === 'pull') {
    const commit = await git(top, ['rev-parse', '--verify', '--quiet', `${move.commit}^{commit}`]).catch(() => {
      throw new Error(`no commit \`${move.commit}\` in ${top} (fetch it first?)`);
    });
    // PM2 resets the branch to the commit (vizion's revertTo).
    await git(top, ['reset', '--hard', '--quiet', commit]);
    return 'already at that commit';
  }
  // PM2 steps along the branch's upstream (else the branch itself), newest first.
  const ref = await git(top, ['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}']).catch(() =>
    git(top, ['symbolic-ref', '--short', 'HEAD']).catch(() => {
      throw new Error(`HEAD is detached and has no upstream: ${move.verb} steps along a branch`);
    }),
  );
  const history = (await git(top, ['rev-list', '--topo-order', ref])).split('\n').filter(Boolean);
  const at = history.indexOf(head);
  if (at < 0) throw new Error(`HEAD ${short(head)} is not on ${ref}'s history: ${move.verb} steps along ${ref}`);
  const next = move.verb === 'forward' ? history[at - 1] : history[at + 1];
  if (next === undefined)
    throw new Error(
      move.verb === 'forward'
        ? `already at the newest commit of ${ref} (${short(head)})`
        : `already at the first commit of ${ref} (${short(head)})`,
    );
  await git(top, ['reset', '--hard', '--quiet', next]);
  return 'unchanged';
}
