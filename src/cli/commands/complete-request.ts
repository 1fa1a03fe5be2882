import type { Command } from 'commander';
import { type Candidate, complete, type Completion } from '../completion/complete.js';
import { withDaemon } from '../context.js';

/** How long a completion waits for a daemon that does not answer before it suggests without app names (ms). */
const DAEMON_WAIT_MS = 1000;

/**
 * The hidden `tend __complete [--shell zsh|fish] -- WORDS…` that the completion scripts call at each Tab: prints one
 * suggestion a line (`value<TAB>help`; `value:help` for zsh's _describe), then `__files__`, `__dirs__` or
 * `__ecosystem__` when the shell should add file names. App names come from a daemon that answers; none is started.
 */
export async function completeRequest(program: Command, words: string[], shell: string | undefined): Promise<number> {
  const completion = complete(program, words);
  const lines = completion.candidates.map((c) => format(c, shell));
  if (completion.apps) for (const c of await appCandidates(completion)) lines.push(format(c, shell));
  if (completion.files) lines.push(`__${completion.files === 'any' ? 'files' : completion.files}__`);
  process.stdout.write(lines.length > 0 ? `${lines.join('\n')}\n` : '');
  // A daemon that never answered must not hold the shell: the answer is out, so the process ends here.
  process.exit(0);
}

function format(candidate: Candidate, shell: string | undefined): string {
  const help = (candidate.description ?? '').replace(/\s+/g, ' ').trim();
  if (shell === 'zsh')
    return help ? `${candidate.value.replaceAll(':', '\\:')}:${help}` : candidate.value.replaceAll(':', '\\:');
  return help ? `${candidate.value}\t${help}` : candidate.value;
}

/** Names (and ids, and `all`) of the apps of a running daemon, filtered by what was typed; none when none answers. */
async function appCandidates(completion: Completion): Promise<Candidate[]> {
  const wanted = completion.apps!;
  let list: Array<{ id: number; name: string; status: string }> = [];
  try {
    list = await Promise.race([
      withDaemon((client) => client.call('list', undefined), { start: false }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer')), DAEMON_WAIT_MS).unref()),
    ]);
  } catch {
    // No daemon, or a stuck one: suggest what needs none.
  }
  const candidates: Candidate[] = [];
  const seen = new Set<string>();
  for (const p of list) {
    if (!seen.has(p.name)) candidates.push({ value: p.name, description: 'app' });
    seen.add(p.name);
  }
  if (wanted.ids) for (const p of list) candidates.push({ value: String(p.id), description: `${p.name}, ${p.status}` });
  if (wanted.all && list.length > 0) candidates.push({ value: 'all', description: 'every app' });
  return candidates
    .filter((c) => c.value.startsWith(completion.typed))
    .map((c) => ({ ...c, value: completion.prefix + c.value }));
}
