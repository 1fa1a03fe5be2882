import type { ListOptions } from './list-render.js';
import type { Pm2ListOptions } from './pm2-list.js';

const LIST_VERBS = ['ls', 'list', 'l', 'status', 'ps'];

/**
 * The options of an `ls` (or an alias) given nothing but --json, --sort FIELD and a pattern, which the fast path answers;
 * null for anything else, which goes through the full parser.
 */
export function plainListOptions(args: string[]): ListOptions | null {
  const [verb, ...rest] = args;
  if (verb === undefined || !LIST_VERBS.includes(verb)) return null;
  let pattern: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--json') continue;
    if (rest[i] === '--sort' && rest[i + 1] !== undefined && !rest[i + 1]!.startsWith('-')) {
      i++;
      continue;
    }
    if (pattern === undefined && !rest[i]!.startsWith('-')) {
      pattern = rest[i];
      continue;
    }
    return null;
  }
  const sort = rest.indexOf('--sort');
  return {
    json: rest.includes('--json'),
    sort: sort >= 0 ? rest[sort + 1] : undefined,
    ...(pattern === undefined ? {} : { pattern }),
  };
}

/** `jlist` or `prettylist`, given nothing but --show-secrets: answered by the fast path too; null for anything else. */
export function plainPm2ListOptions(args: string[]): Pm2ListOptions | null {
  const [verb, ...rest] = args;
  if (verb !== 'jlist' && verb !== 'prettylist') return null;
  if (rest.some((arg) => arg !== '--show-secrets')) return null;
  return { pretty: verb === 'prettylist', showSecrets: rest.length > 0 };
}
