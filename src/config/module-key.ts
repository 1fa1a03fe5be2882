/**
 * `MODULE:KEY`, as PM2's `pm2 set pm2-logrotate:max_size 10M` writes it. A package name never holds a `:`, so the
 * first one splits; the key may hold more.
 */
import { TendError } from '../core/errors.js';

export interface ModuleKey {
  module: string;
  key: string;
}

// npm's rule for package names (lower case, optional @scope/), loose enough for old names with capitals.
const PACKAGE_NAME = /^(?:@[A-Za-z0-9][\w.-]*\/)?[A-Za-z0-9][\w.-]*$/;
const KEY = /^[A-Za-z_][\w.-]*$/;

/** Whether a module name could be an npm package's name. */
export function isModuleName(name: string): boolean {
  return PACKAGE_NAME.test(name);
}

/** Problem with a key, or undefined: a letter or `_` first, then letters, digits, `_`, `.` or `-`. */
export function keyProblem(key: string): string | undefined {
  if (KEY.test(key)) return undefined;
  return `the key \`${key}\` must start with a letter or \`_\` and hold only letters, digits, \`_\`, \`.\` and \`-\``;
}

/** `MODULE:KEY` for `tend set` and `tend unset`: both parts are needed. */
export function parseModuleKey(text: string): ModuleKey {
  const colon = text.indexOf(':');
  if (colon < 0) throw new TendError('USAGE', `expected MODULE:KEY (e.g. tend-health-pinger:urls), got \`${text}\``);
  const target = parseModuleTarget(text);
  if (target.key === undefined) throw new TendError('USAGE', `\`${text}\` names no key after the \`:\``);
  return { module: target.module, key: target.key };
}

/** `MODULE` or `MODULE:KEY` for `tend get`. */
export function parseModuleTarget(text: string): { module: string; key?: string } {
  const colon = text.indexOf(':');
  const module = colon < 0 ? text : text.slice(0, colon);
  if (!isModuleName(module)) throw new TendError('USAGE', `\`${module}\` is not a module name (an npm package's name)`);
  if (colon < 0) return { module };
  const key = text.slice(colon + 1);
  if (key === '') return { module };
  const problem = keyProblem(key);
  if (problem) throw new TendError('USAGE', problem);
  return { module, key };
}
