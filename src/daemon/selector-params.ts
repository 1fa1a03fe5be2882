import { isAbsolute } from 'node:path';
import { bool, count, expect, listOf, mapOf, optional, shape, signal, str, type Check } from './checks.js';

/**
 * The params of verbs that take targets (src/api/selectors.ts): the targets as typed, and the script paths the CLI
 * resolved from its own cwd; only absolute paths are taken, since the daemon's cwd means nothing to the user.
 */
const scriptPaths = optional(
  mapOf(expect('an absolute path', (v) => typeof v === 'string' && v.length > 0 && isAbsolute(v))),
);

export const targetSelection: Check = shape({
  targets: listOf(str),
  scripts: scriptPaths,
  ids: optional(listOf(count)),
});

/** One target (show, env, send, trigger), with its script path. */
export function oneTarget(fields: Record<string, Check> = {}): Check {
  return shape({ target: str, scripts: scriptPaths, ...fields });
}

/** The checks of PM2's verbs on running processes. */
export const processVerbParams: Record<string, Check> = {
  reset: targetSelection,
  sendSignal: shape({ targets: listOf(str), scripts: scriptPaths, signal }),
  env: oneTarget({ showSecrets: optional(bool) }),
  send: oneTarget({ lines: listOf(str) }),
};
