import { TendError } from '../core/errors.js';

/** How app lines reach tend-runtime's own stdout and stderr. */
export type ConsoleFormat =
  /** `name | line` (`name[i] | line` for an app with several instances), names padded to one width */
  | 'prefixed'
  /** the line as the app wrote it */
  | 'raw'
  /** one JSON object per line, the fields of `log_type: json` files */
  | 'json';

/** What the command line of `tend-runtime` asks for. */
export interface RuntimeArgs {
  file: string;
  /** `--env NAME`: each app's `env_NAME` laid over its `env`. */
  envName?: string;
  /** `--only a,b`: only these apps. */
  only?: string[];
  format: ConsoleFormat;
  /** Exit once every app is stopped or errored (`--no-auto-exit` turns it off). */
  autoExit: boolean;
}

export type ParsedArgs = { kind: 'run'; args: RuntimeArgs } | { kind: 'help' } | { kind: 'version' };

export const RUNTIME_USAGE = `Usage: tend-runtime [options] FILE

Runs the apps of an ecosystem file in the foreground, as a container's main process: their output on this
process's stdout and stderr, every app stopped on SIGTERM, SIGINT, SIGHUP or SIGQUIT, and an exit once every
app has stopped (non-zero if one errored or exited non-zero).

Options:
  --env NAME       lay each app's env_NAME over its env
  --only A,B       start only these apps
  --raw            print the apps' lines without the "name | " prefix
  --json           print one JSON object per line
  --no-auto-exit   keep running when every app has stopped
  -v, --version    print the version
  -h, --help       print this help
`;

function usage(message: string): TendError {
  return new TendError('USAGE', `${message}\n\n${RUNTIME_USAGE.trimEnd()}`);
}

/** The command line of `tend-runtime`, checked: an unknown option or a missing FILE is a usage error naming it. */
export function parseRuntimeArgs(argv: readonly string[]): ParsedArgs {
  let file: string | undefined;
  let envName: string | undefined;
  let only: string[] | undefined;
  let format: ConsoleFormat = 'prefixed';
  let autoExit = true;
  const valueAfter = (flag: string, at: number): string => {
    const value = argv[at];
    if (value === undefined || value.startsWith('-')) throw usage(`${flag} needs a value`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    switch (flag) {
      case '-h':
      case '--help':
        return { kind: 'help' };
      case '-v':
      case '-V':
      case '--version':
        return { kind: 'version' };
      case '--env':
        envName = inline ?? valueAfter(flag, ++i);
        break;
      case '--only':
        only = (inline ?? valueAfter(flag, ++i)).split(/[\s,]+/).filter((name) => name.length > 0);
        break;
      case '--raw':
        format = 'raw';
        break;
      case '--json':
        format = 'json';
        break;
      case '--no-auto-exit':
        autoExit = false;
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw usage(`unknown option ${arg}`);
        if (file !== undefined) throw usage(`one ecosystem file only; got ${file} and ${arg}`);
        file = arg;
    }
  }
  if (file === undefined) throw usage('missing the ecosystem file');
  return {
    kind: 'run',
    args: {
      file,
      format,
      autoExit,
      ...(envName !== undefined ? { envName } : {}),
      ...(only !== undefined ? { only } : {}),
    },
  };
}
