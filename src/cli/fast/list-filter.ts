// `tend ls PATTERN` and the summary under the table: what keeps a list of 1,000 processes readable.
import type { ProcessRow } from '../../api/methods.js';
import { TendError } from '../../core/errors.js';

/** A name glob (`api-*`, `worker-?`) as a regular expression over the whole name. */
function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/**
 * The processes a pattern names: `/regex/` (over the name), a glob with `*` or `?`, or a plain name, namespace or id.
 * A pattern that names nothing gives an empty list, as grep does: the summary says so.
 */
export function filterViews<T extends ProcessRow>(views: readonly T[], pattern: string | undefined): T[] {
  if (pattern === undefined || pattern === '') return [...views];
  const regex = /^\/(.+)\/([a-z]*)$/.exec(pattern);
  if (regex) {
    let re: RegExp;
    try {
      re = new RegExp(regex[1]!, regex[2]);
    } catch (error) {
      throw new TendError('USAGE', `\`${pattern}\` is not a regular expression: ${(error as Error).message}`);
    }
    return views.filter((v) => re.test(v.name));
  }
  if (/[*?]/.test(pattern)) {
    const re = globToRegExp(pattern);
    return views.filter((v) => re.test(v.name) || re.test(v.namespace));
  }
  return views.filter((v) => v.name === pattern || v.namespace === pattern || String(v.id) === pattern);
}

/** "12 processes of 3 apps: 10 online, 1 stopped, 1 errored" (and "of 250" when a pattern left some out). */
export function summaryLine(shown: readonly ProcessRow[], total: number): string {
  const apps = new Set(shown.map((v) => v.name)).size;
  const counts = new Map<string, number>();
  for (const v of shown) counts.set(v.status, (counts.get(v.status) ?? 0) + 1);
  const statuses = [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
  const of = shown.length < total ? ` (of ${total})` : '';
  return `${shown.length} process${shown.length === 1 ? '' : 'es'}${of} of ${apps} app${apps === 1 ? '' : 's'}: ${statuses || 'none'}`;
}
