import { TendError } from '../core/errors.js';
import type { DeployAction } from './action.js';

/** The files `tend deploy TARGET ...` looks for when no file is given, in PM2's order. */
export const DEPLOY_DEFAULT_FILES = [
  'ecosystem.config.js',
  'ecosystem.config.cjs',
  'ecosystem.config.mjs',
  'ecosystem.json',
  'ecosystem.json5',
  'ecosystem.yml',
  'ecosystem.yaml',
];

/** A deploy command line, read: which file, which target, what to do. */
export interface DeployRequest {
  /** Undefined when the file was not given: the caller looks for one of DEPLOY_DEFAULT_FILES. */
  file?: string;
  target: string;
  action: DeployAction;
}

const USAGE = 'usage: tend deploy [FILE] TARGET [setup|update|revert [N]|curr|prev|list|exec "CMD"|ref REF]';

/**
 * Reads PM2's forms: `deploy FILE TARGET VERB ...`, `deploy TARGET VERB ...` (the file found as PM2 finds it), and
 * `deploy FILE TARGET` alone for update. `isFile` tells an ecosystem file's name from a target's.
 */
export function parseDeployArguments(args: readonly string[], isFile: (word: string) => boolean): DeployRequest {
  const [first, ...rest] = args;
  if (first === undefined) throw new TendError('USAGE', `name the deployment target; ${USAGE}`);
  const file = isFile(first) ? first : undefined;
  const words = file === undefined ? args : rest;
  const [target, verb = 'update', ...extra] = words;
  if (target === undefined) throw new TendError('USAGE', `name the deployment target after ${first}; ${USAGE}`);
  return { ...(file === undefined ? {} : { file }), target, action: actionOf(verb, extra) };
}

function actionOf(verb: string, extra: string[]): DeployAction {
  const none = (action: DeployAction): DeployAction => {
    if (extra.length > 0) throw new TendError('USAGE', `\`${verb}\` takes no argument; got ${extra.join(' ')}`);
    return action;
  };
  switch (verb) {
    case 'setup':
    case 'update':
    case 'curr':
    case 'prev':
    case 'list':
      return none({ verb });
    case 'current':
      return none({ verb: 'curr' });
    case 'previous':
      return none({ verb: 'prev' });
    case 'revert': {
      if (extra.length > 1) throw new TendError('USAGE', `\`revert\` takes one number; got ${extra.join(' ')}`);
      const given = extra[0] ?? '1';
      if (!/^[1-9]\d{0,5}$/.test(given))
        throw new TendError('USAGE', `\`revert N\`: N is how many releases back, 1 or more; got ${given}`);
      return { verb: 'revert', steps: Number(given) };
    }
    case 'exec':
    case 'run': {
      if (extra.length !== 1 || extra[0] === '')
        throw new TendError(
          'USAGE',
          '`exec` takes the command as one argument: tend deploy TARGET exec "npm run migrate"',
        );
      return { verb: 'exec', command: extra[0]! };
    }
    case 'ref': {
      const ref = extra[0];
      if (extra.length !== 1 || ref === undefined || !/^[^-\s]\S*$/.test(ref))
        throw new TendError(
          'USAGE',
          '`ref` takes one git ref (not starting with `-`): tend deploy TARGET ref origin/v2',
        );
      return { verb: 'update', ref };
    }
    default:
      throw new TendError('USAGE', `unknown deploy command \`${verb}\`; ${USAGE}`);
  }
}
