import type { PathSegment } from './key-path.js';
import type { Report } from './report.js';

/** The variables `${VAR}` reads: the environment of the `tend apply` (or `plan`, `start`) process. */
export type Variables = Readonly<Record<string, string | undefined>>;

/** What one string became, and what went wrong on the way. */
export interface InterpolatedString {
  value: string;
  /** `${VAR}` of unset variables, replaced by an empty string (a warning, as in docker compose). */
  unset: string[];
  /** `${VAR:?message}` of an unset variable, a `${` never closed or a bad name: the file cannot be used. */
  error?: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * docker compose's interpolation of one string: `${VAR}`, `${VAR:-default}` (unset or empty), `${VAR-default}` (unset),
 * `${VAR:?message}` (unset or empty is an error), `${VAR?message}` (unset is an error), and `$$` for a literal `$`.
 * A default may hold `${OTHER}` itself. A `$` followed by anything else (`$HOME`, `$1`) is kept as written: PM2 files
 * pass such strings to shells and scripts, and compose's bare `$VAR` would change them.
 */
export function interpolateString(text: string, vars: Variables): InterpolatedString {
  const unset: string[] = [];
  let value = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar === -1) {
      value += text.slice(i);
      break;
    }
    value += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      value += '$';
      i = dollar + 2;
      continue;
    }
    if (next !== '{') {
      value += '$';
      i = dollar + 1;
      continue;
    }
    const close = closingBrace(text, dollar + 2);
    if (close === -1)
      return { value, unset, error: `\`${text.slice(dollar)}\` has no closing \`}\` (write $$ for a literal $)` };
    const expanded = expand(text.slice(dollar + 2, close), vars);
    if (expanded.error !== undefined) return { value, unset, error: expanded.error };
    value += expanded.value;
    unset.push(...expanded.unset);
    i = close + 1;
  }
  return { value, unset };
}

/** The `}` that closes a `${` opened just before `from`, counting nested `${...}` in a default; -1 if none. */
function closingBrace(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '$') i++;
    else if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** The inside of one `${...}`. */
function expand(inner: string, vars: Variables): InterpolatedString {
  const match = /^([^:?}-]*)(:?[-?])?([\s\S]*)$/.exec(inner)!;
  const name = match[1]!;
  const operator = match[2];
  const rest = match[3]!;
  if (!NAME.test(name))
    return {
      value: '',
      unset: [],
      error: `\`\${${inner}}\` is not a variable reference: a name is letters, digits and _ (write $$ for a literal $)`,
    };
  const given = vars[name];
  const missing = operator?.startsWith(':') ? given === undefined || given === '' : given === undefined;
  if (operator === undefined) {
    if (rest !== '')
      return { value: '', unset: [], error: `\`\${${inner}}\` is not a variable reference (write $$ for a literal $)` };
    return given === undefined ? { value: '', unset: [name] } : { value: given, unset: [] };
  }
  if (!missing) return { value: given ?? '', unset: [] };
  if (operator.endsWith('-')) return interpolateString(rest, vars);
  const why = interpolateString(rest, vars).value.trim();
  const state = operator === ':?' ? 'is not set or empty' : 'is not set';
  return { value: '', unset: [], error: `required variable ${name} ${state}${why ? `: ${why}` : ''}` };
}

/**
 * Interpolates every string value of a parsed YAML or JSON file (keys are left alone), reporting at each value's
 * position: an error for a missing required variable (nothing is started), a warning for an unset `${VAR}`.
 * Returns the data unchanged when no string holds a `$`.
 */
export function interpolateData(data: unknown, vars: Variables, report: Report): unknown {
  if (!holdsDollar(data)) return data;
  // One path, pushed and popped as the walk goes; copied only for a report. A list or mapping none of whose strings
  // changed is kept as it is: a large file with no `$` costs a walk and no copy.
  const path: PathSegment[] = [];
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (!value.includes('$')) return value;
      const result = interpolateString(value, vars);
      if (result.error !== undefined) report.problem([...path], result.error);
      for (const name of new Set(result.unset))
        report.warn([...path], `${name} is not set; \`\${${name}}\` is replaced by an empty string`, 'value');
      return result.value;
    }
    if (value === null || typeof value !== 'object') return value;
    const entries: Array<[PathSegment, unknown]> = Array.isArray(value)
      ? value.map((item, index) => [index, item])
      : Object.entries(value);
    let values: unknown[] | undefined;
    entries.forEach(([key, item], index) => {
      path.push(key);
      const walked = walk(item);
      path.pop();
      if (walked === item) return;
      values ??= entries.map(([, before]) => before);
      values[index] = walked;
    });
    if (values === undefined) return value;
    const copied = values;
    return Array.isArray(value) ? copied : Object.fromEntries(entries.map(([key], index) => [key, copied[index]]));
  };
  return walk(data);
}

/** Whether any string in the data holds a `$`: the common file has none, and is then not walked with paths at all. */
function holdsDollar(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('$');
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(holdsDollar);
  for (const key in value)
    if (Object.hasOwn(value, key) && holdsDollar((value as Record<string, unknown>)[key])) return true;
  return false;
}
