/** Stable codes a script can match on; the message is for people. */
export type TendErrorCode =
  | 'CONFIG_NOT_FOUND'
  | 'CONFIG_SYNTAX'
  | 'CONFIG_INVALID'
  | 'CONFIG_LOAD'
  | 'UNKNOWN_APP'
  | 'DAEMON_UNREACHABLE'
  | 'DAEMON_ERROR'
  | 'PROTOCOL'
  | 'STATE_CORRUPT'
  | 'SPAWN_FAILED'
  | 'APPLY_FAILED'
  /** An apply names apps another file, project or the command line owns (GitOps ownership). */
  | 'OWNED_ELSEWHERE'
  /** A saved plan no longer matches the file or the running state. */
  | 'PLAN_STALE'
  /** A plan breaks an `--deny` or `--max-unavailable` gate. */
  | 'PLAN_DENIED'
  /** `tend export --strict`: some key cannot be carried to the target engine; nothing was written. */
  | 'EXPORT_LOSSY'
  /** `tend uninstall`, `set`, `module update` named a module that is not installed. */
  | 'UNKNOWN_MODULE'
  /** npm could not install a module, or its apps are refused (`tend install`, `module update`); nothing was left behind. */
  | 'MODULE_INSTALL'
  | 'USAGE';

/** One place in a file, 1-based, for messages like `ecosystem.yml:4:7`. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/** One thing wrong with the user's input, with where it is and what was expected. */
export interface Problem {
  message: string;
  /** Key path such as `apps[1].instances`. */
  path?: string;
  position?: SourcePosition;
}

/** The one error class tend throws on purpose: a code, a one-line message, details for --verbose. */
export class TendError extends Error {
  readonly code: TendErrorCode;
  readonly problems: Problem[];
  readonly isTendError = true;

  constructor(code: TendErrorCode, message: string, options: { problems?: Problem[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TendError';
    this.code = code;
    this.problems = options.problems ?? [];
  }

  /** The full text a CLI prints: the message, then one line per problem. */
  describe(): string {
    const lines = [this.message];
    for (const p of this.problems) {
      const where = p.position ? `${p.position.file}:${p.position.line}:${p.position.column}` : '';
      const head = [where, p.path].filter(Boolean).join(' ');
      lines.push(`  ${head ? `${head}: ` : ''}${p.message}`);
    }
    return lines.join('\n');
  }
}

export function isTendError(value: unknown): value is TendError {
  return typeof value === 'object' && value !== null && (value as { isTendError?: unknown }).isTendError === true;
}
