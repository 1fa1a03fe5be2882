/**
 * The environment an app's processes start with, built in layers; a later layer wins, and
 * `sources` records which layer each variable came from (shown by `tend show`).
 *
 * 1. Base, one of:
 *    - `clean` (`tend apply`): the result must not depend on who runs the command or from which shell,
 *      so the base is fixed: PATH = the folder of tend's node, then APPLY_BASE_PATH; HOME, USER, LOGNAME
 *      and SHELL of the user tend runs as; LANG=C.UTF-8. Source `base`.
 *    - `shell` (PM2-style `tend start`): the calling shell's variables, as PM2 does. Source `shell`.
 *      `filter_env` drops some or all of them: true drops all; a string or a list drops every
 *      variable whose name contains one of the strings.
 *    Variables the interpreter needs (PYTHONUNBUFFERED=1 for Python, so output is not held back)
 *    are part of the base, source `base`, so the shell or the file can still override them.
 * 2. With `--env <name>`, the file's `deploy.<name>.env`, as PM2. Source `deploy.<name>.env`.
 * 3. The app's `env_file`s, in order (a later file wins). Source `env_file`.
 * 4. The app's `env`. Source `env`.
 * 5. With `--env <name>`, the app's `env_<name>`. Source `env_<name>`.
 * 6. `port` sets PORT. Source `env` from a file, `cli` from a command-line flag.
 *
 * Values are strings: numbers and booleans are stringified, objects and lists JSON-encoded, null is "null"
 * (as PM2). Per-instance variables (NODE_APP_INSTANCE, increment_var) are added later by the supervisor.
 */
import { dirname } from 'node:path';
import { userInfo, type UserInfo } from 'node:os';
import { APPLY_BASE_PATH } from '../core/defaults.js';
import type { BaseEnv } from './options.js';
import type { EnvSource } from './types.js';

/** An app's environment-related options, already validated. */
export interface AppEnvInput {
  env?: Record<string, unknown>;
  /** Every `env_<name>` of the app, by `<name>`. */
  namedEnvs?: Record<string, Record<string, unknown>>;
  filterEnv?: boolean | string | string[];
  port?: number;
  portSource: 'env' | 'cli';
  /** Variables the interpreter needs, at base precedence. */
  interpreterEnv?: Record<string, string>;
  /** The file's `deploy.<name>.env` for `--env <name>`, under `env`. */
  deployEnv?: Record<string, unknown>;
  /** The variables of the app's `env_file`s, merged in order, under `env`. */
  envFile?: Record<string, string>;
}

export interface EnvOptions {
  /** `--env <name>`: which `env_<name>` to lay over `env`. */
  envName?: string;
  baseEnv: BaseEnv;
  /** tend's node, whose folder leads the clean PATH; default process.execPath. */
  nodePath?: string;
}

export interface BuiltEnv {
  env: Record<string, string>;
  sources: Record<string, EnvSource>;
}

/** Builds an app's environment from the layers described in this module's comment. */
export function buildEnv(input: AppEnvInput, options: EnvOptions): BuiltEnv {
  const base = options.baseEnv;
  const env: Record<string, string> = {};
  const sources: Record<string, EnvSource> = {};
  const set = (vars: Record<string, unknown>, source: EnvSource): void => {
    for (const [key, value] of Object.entries(vars)) {
      env[key] = envString(value);
      sources[key] = source;
    }
  };

  if (base.kind === 'clean') set(cleanBase(options.nodePath), 'base');
  set(input.interpreterEnv ?? {}, 'base');
  if (base.kind === 'shell') set(filterShellEnv(base.vars, input.filterEnv), 'shell');
  if (input.deployEnv && options.envName !== undefined) set(input.deployEnv, `deploy.${options.envName}.env`);
  if (input.envFile) set(input.envFile, 'env_file');
  set(input.env ?? {}, 'env');
  const named = options.envName === undefined ? undefined : input.namedEnvs?.[options.envName];
  if (named) set(named, `env_${options.envName}`);
  if (input.port !== undefined) set({ PORT: input.port }, input.portSource);
  return { env, sources };
}

/** The fixed base of `tend apply`: nothing from the caller's shell. */
export function cleanBaseEnv(nodePath = process.execPath): Record<string, string> {
  return { ...cleanBase(nodePath) };
}

let lastCleanBase: { nodePath: string; vars: Readonly<Record<string, string>> } | undefined;
/** Built once per run and node path, not twice per app: read only, by buildEnv. */
function cleanBase(nodePath = process.execPath): Readonly<Record<string, string>> {
  if (lastCleanBase?.nodePath !== nodePath) lastCleanBase = { nodePath, vars: newCleanBase(nodePath) };
  return lastCleanBase.vars;
}

function newCleanBase(nodePath: string): Record<string, string> {
  const user = currentUser();
  return {
    PATH: [...new Set([dirname(nodePath), ...APPLY_BASE_PATH.split(':')])].join(':'),
    HOME: user.homedir,
    USER: user.username,
    LOGNAME: user.username,
    SHELL: user.shell ?? '/bin/sh',
    LANG: 'C.UTF-8',
  };
}

let thisUser: UserInfo<string> | undefined;
/** Asked of the system once per run, not once per app. */
function currentUser(): UserInfo<string> {
  thisUser ??= userInfo();
  return thisUser;
}

/** PM2's `filter_env`: true drops the whole shell environment; strings drop variables whose name contains one. */
export function filterShellEnv(
  vars: Record<string, string>,
  filter: boolean | string | string[] | undefined,
): Record<string, string> {
  if (filter === true) return {};
  if (filter === undefined || filter === false) return { ...vars };
  const parts = (Array.isArray(filter) ? filter : [filter]).filter((part) => part !== '');
  return Object.fromEntries(Object.entries(vars).filter(([key]) => !parts.some((part) => key.includes(part))));
}

/** An env value as the process will see it. */
export function envString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? '';
}
