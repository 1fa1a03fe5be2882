import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isEcosystemFile, loadDeployTarget } from '../../config/index.js';
import { TendError } from '../../core/errors.js';
import { plural } from '../../core/plural.js';
import { DEPLOY_DEFAULT_FILES, parseDeployArguments } from '../../deploy/arguments.js';
import { deployToHosts, formatSummary } from '../../deploy/deploy-hosts.js';
import { runLocalHook, runSsh } from '../../deploy/ssh.js';
import { paint, terminalSafe, useColor } from '../output.js';

/**
 * `tend deploy [FILE] TARGET [setup|update|revert N|curr|prev|list|exec CMD|ref REF]` (PM2's deploy): the target's
 * hosts, all at once, over the system's ssh; each host's lines prefixed with its name, a summary at the end, and exit
 * code 1 when any host failed.
 */
export async function deployCommand(args: string[]): Promise<number> {
  const request = parseDeployArguments(args, isEcosystemFile);
  const file = request.file ?? DEPLOY_DEFAULT_FILES.find((name) => existsSync(name));
  if (file === undefined)
    throw new TendError(
      'USAGE',
      `no ecosystem file here (looked for ${DEPLOY_DEFAULT_FILES.join(', ')}): tend deploy FILE ${request.target} ...`,
    );
  const target = await loadDeployTarget(file, request.target);
  const { action } = request;
  const color = useColor();
  const print = (line: string, stream: 'stdout' | 'stderr'): void => {
    (stream === 'stdout' ? process.stdout : process.stderr).write(`${terminalSafe(line, color)}\n`);
  };

  const hook = target.hooks['pre-deploy-local'];
  if (action.verb === 'update' && hook !== undefined) {
    process.stdout.write(`running pre-deploy-local here\n`);
    const exit = await runLocalHook(hook, dirname(resolve(file)), target.env, (stream, line) =>
      print(`local | ${line}`, stream),
    );
    if (exit.code !== 0) {
      const why = exit.error ?? `exit ${exit.code ?? 'killed'}`;
      process.stderr.write(`${paint(`tend: pre-deploy-local failed (${why}); no host was touched`, 'red', color)}\n`);
      return 1;
    }
  }

  const what = action.verb === 'update' && action.ref !== undefined ? `update to ${action.ref}` : action.verb;
  process.stdout.write(
    `${target.name}: ${what} on ${plural(target.hosts.length, 'host')} (${target.hosts.join(', ')})\n`,
  );
  const outcomes = await deployToHosts(target, action, runSsh, print);
  const failed = outcomes.filter((outcome) => !outcome.ok).length;
  const headline =
    failed === 0
      ? paint(`${target.name}: ${what} done on ${plural(outcomes.length, 'host')}`, 'green', color)
      : paint(`${target.name}: ${what} failed on ${failed} of ${plural(outcomes.length, 'host')}`, 'red', color);
  process.stdout.write(
    `${headline}\n${formatSummary(outcomes)
      .map((line) => `  ${terminalSafe(line, color)}`)
      .join('\n')}\n`,
  );
  return failed === 0 ? 0 : 1;
}
