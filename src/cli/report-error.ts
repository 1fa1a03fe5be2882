import { isTendError, type TendErrorCode } from '../core/errors.js';

/**
 * Exit codes CI can tell apart; everything else is 1. 2 is taken by `tend plan --exit-code` (changes found).
 */
export const EXIT_CODES: Partial<Record<TendErrorCode, number>> = { PLAN_STALE: 3, PLAN_DENIED: 4 };

/** Prints an error for the user: the message and its problems; the stack only with --verbose. */
export function reportError(err: unknown, verbose: boolean): number {
  const commanderCode = (err as { code?: string }).code;
  if (
    commanderCode === 'commander.helpDisplayed' ||
    commanderCode === 'commander.version' ||
    commanderCode === 'commander.help'
  )
    return 0;
  if (typeof commanderCode === 'string' && commanderCode.startsWith('commander.')) return 1;
  if (isTendError(err)) {
    process.stderr.write(`tend: ${err.describe()}\n`);
    if (verbose && err.stack) process.stderr.write(`${err.stack}\n`);
    return EXIT_CODES[err.code] ?? 1;
  }
  process.stderr.write(`tend: ${err instanceof Error ? err.message : String(err)}\n`);
  if (verbose && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  return 1;
}
