/** What the pull agent is told on its command line by `tend sync` (src/cli/commands/sync.ts). */
export interface AgentOptions {
  name: string;
  repo: string;
  branch: string;
  path: string;
  intervalMs: number;
  env: string | null;
  /** Its folder under $TEND_HOME/sync/: the clone (`repo/`) and status.json. */
  dir: string;
  /** The tend CLI it applies with (dist/cli.cjs). */
  cli: string;
}

const FLAGS = ['name', 'repo', 'branch', 'path', 'interval-ms', 'env', 'dir', 'cli'] as const;

export function agentArgs(options: AgentOptions): string[] {
  const values: Record<(typeof FLAGS)[number], string | null> = {
    name: options.name,
    repo: options.repo,
    branch: options.branch,
    path: options.path,
    'interval-ms': String(options.intervalMs),
    env: options.env,
    dir: options.dir,
    cli: options.cli,
  };
  return FLAGS.flatMap((flag) => (values[flag] === null ? [] : [`--${flag}`, values[flag] as string]));
}

/** The reverse of agentArgs; throws on anything else (the agent is only ever started by tend). */
export function parseAgentArgs(argv: readonly string[]): AgentOptions {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i]?.replace(/^--/, '');
    const value = argv[i + 1];
    if (!flag || value === undefined || !(FLAGS as readonly string[]).includes(flag))
      throw new Error(`tend sync agent: unexpected argument ${argv[i]}`);
    values.set(flag, value);
  }
  const need = (flag: string): string => {
    const value = values.get(flag);
    if (value === undefined) throw new Error(`tend sync agent: --${flag} is missing`);
    return value;
  };
  return {
    name: need('name'),
    repo: need('repo'),
    branch: need('branch'),
    path: need('path'),
    intervalMs: Number(need('interval-ms')),
    env: values.get('env') ?? null,
    dir: need('dir'),
    cli: need('cli'),
  };
}
