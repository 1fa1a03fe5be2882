/** The environment apps start from: `clean` for `tend apply` (the same whoever runs it), `shell` for PM2-style `tend start`. */
export type BaseEnv = { kind: 'clean' } | { kind: 'shell'; vars: Record<string, string> };

/** What the caller decides about a load; the file decides the rest. */
export interface LoadOptions {
  /** tend's home folder; default log files go to `<home>/logs`. */
  home: string;
  /** `--env <name>`: lay each app's `env_<name>` over its `env`. */
  envName?: string;
  /** `--only a,b`: keep only these apps (names may be comma-separated). */
  only?: string[];
  /** `--no-deps`: `only` does not bring the apps its apps depend on (`depends_on`). */
  noDeps?: boolean;
  baseEnv: BaseEnv;
  /** What `${VAR}` in a YAML or JSON file reads; default process.env (the `tend apply` process's environment). */
  vars?: Readonly<Record<string, string | undefined>>;
  /** CPU count for `instances: max` and negative counts; default os.availableParallelism(). */
  cpus?: number;
  /** Base folder of relative paths for apps from CLI flags (desiredFromApps); default process.cwd(). */
  cwd?: string;
  /**
   * What an unknown key is: a problem (`error`, the default: `tend apply` and `tend plan`, where strictness catches a
   * typo), or a warning and ignored (`warn`: `tend start`, PM2's verb, which drops unknown keys as PM2 does).
   */
  unknownKeys?: 'error' | 'warn';
}
