import { TendError } from '../core/errors.js';

/**
 * Targets as they travel from the CLI to the daemon: what the user typed, and for each target that may be a script
 * path, that path made absolute against the CLI's cwd (the daemon's cwd is not the user's). Ecosystem files never
 * travel: the CLI replaces them with the names of their apps.
 */
export interface TargetSelection {
  targets: string[];
  /** Target as typed → the absolute path it names from the caller's cwd. */
  scripts?: Record<string, string>;
  /**
   * Processes by id only, never by name: for callers that hold an id (the web dashboard's buttons), where an app named
   * by that number must not be picked instead.
   */
  ids?: number[];
}

/** What one target means, by PM2's rules. */
export type Selector =
  /** Every process. */
  | { kind: 'all' }
  /** `/pattern/flags`: JavaScript syntax, tested against app names. */
  | { kind: 'regex'; text: string; regex: RegExp }
  /** A name, a namespace, a script path, or (when no app is named so) an id. */
  | { kind: 'word'; text: string };

const REGEX_LITERAL = /^\/(.+)\/([dgimsuvy]*)$/s;

/** Whether a target is written as a regular expression (`/api-\d+/`, `/API/i`); such a target is never a path. */
export function isRegexTarget(target: string): boolean {
  return REGEX_LITERAL.test(target);
}

/** Reads one target; an invalid regular expression is a USAGE error that names it. */
export function parseSelector(target: string): Selector {
  if (target === 'all') return { kind: 'all' };
  const literal = REGEX_LITERAL.exec(target);
  if (!literal) return { kind: 'word', text: target };
  try {
    // g and y make test() remember where it stopped: every name must be tested from its start.
    return { kind: 'regex', text: target, regex: new RegExp(literal[1]!, literal[2]!.replace(/[gy]/g, '')) };
  } catch (cause) {
    throw new TendError('USAGE', `\`${target}\` is not a valid regular expression: ${(cause as Error).message}`, {
      cause,
    });
  }
}

/** The fields a target is matched on. */
export interface Selectable {
  id: number;
  name: string;
  namespace: string;
  /** The script as the daemon runs it: an absolute path for a file. */
  script: string;
}

/**
 * The items the targets select, by id without duplicates, and the targets that selected nothing (an error for every
 * caller: a typo must not pass for "nothing to do"). A word matches an app's name, its namespace or its script path
 * (PM2: `name == arg || pm_exec_path == path.resolve(arg)`); only when it matches none of them is a number an id, so
 * an app named `3` is found by its name first.
 */
export function selectTargets<T>(
  items: readonly T[],
  selection: TargetSelection,
  keyOf: (item: T) => Selectable,
): { selected: T[]; unknown: string[] } {
  const keyed = items.map((item) => ({ item, key: keyOf(item) }));
  const found = new Map<number, { item: T; key: Selectable }>();
  const unknown: string[] = [];
  for (const target of selection.targets) {
    const matches = matchOne(keyed, parseSelector(target), selection.scripts?.[target]);
    if (matches.length === 0) unknown.push(target);
    for (const match of matches) found.set(match.key.id, match);
  }
  for (const id of selection.ids ?? []) {
    const match = keyed.find(({ key }) => key.id === id);
    if (match) found.set(id, match);
    else unknown.push(`id ${id}`);
  }
  const selected = [...found.values()].sort((a, b) => a.key.id - b.key.id).map((m) => m.item);
  return { selected, unknown };
}

function matchOne<E extends { key: Selectable }>(
  items: readonly E[],
  selector: Selector,
  script: string | undefined,
): E[] {
  switch (selector.kind) {
    case 'all':
      return [...items];
    case 'regex':
      return items.filter(({ key }) => selector.regex.test(key.name));
    case 'word': {
      const text = selector.text;
      const byWord = items.filter(
        ({ key }) => key.name === text || key.namespace === text || (script !== undefined && key.script === script),
      );
      if (byWord.length > 0 || !/^\d+$/.test(text)) return byWord;
      return items.filter(({ key }) => key.id === Number(text));
    }
  }
}

/** The error for targets that selected nothing, naming each of them and the apps there are. */
export function unknownTargetsError(unknown: readonly string[], knownApps: readonly string[]): TendError {
  const regexes = unknown.filter(isRegexTarget);
  const words = unknown.filter((t) => !isRegexTarget(t));
  const parts = [
    ...(words.length > 0 ? [`no process matches ${words.map((t) => `\`${t}\``).join(', ')}`] : []),
    ...(regexes.length > 0 ? [`no app name matches ${regexes.map((t) => `\`${t}\``).join(', ')}`] : []),
  ];
  const known = [...new Set(knownApps)];
  return new TendError('UNKNOWN_APP', `${parts.join('; ')}; known apps: ${known.join(', ') || 'none'}`);
}
