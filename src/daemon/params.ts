import type { AppSpec, DesiredState } from '../config/types.js';
import { TendError } from '../core/errors.js';
import {
  appName,
  bool,
  count,
  expect,
  listOf,
  mapOf,
  ms,
  nullable,
  oneOf,
  optional,
  shape,
  signal,
  str,
  int,
  type Check,
} from './checks.js';
import { oneTarget, processVerbParams, targetSelection } from './selector-params.js';

/**
 * The shape of every request's params, checked before a handler runs, so a client that sends the
 * wrong thing gets a PROTOCOL error naming the field instead of a TypeError from deep inside the
 * daemon (or, worse, a half-applied spec). Fields not named here are not checked: the CLI and the
 * daemon ship together, and a new field must not be refused by an old check.
 */
const strings = listOf(str);

/** One socket of `listen`: a port from 1 to 65535 with an optional host, or an absolute unix socket path. */
const listenAddress: Check = (value, path) => {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return `${path}: expected { port, host? } or { path }`;
  if ('path' in value) return absolutePath((value as { path: unknown }).path, `${path}.path`);
  return tcpAddress(value, path);
};
const absolutePath = expect('an absolute path', (v) => typeof v === 'string' && v.startsWith('/'));
const tcpAddress = shape({
  port: expect('a port from 1 to 65535', (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535),
  host: optional(str),
});

/** AppSpec (src/config/types.ts), field by field: the daemon spawns from it and names log files after it. */
export const appSpec: Check = shape({
  name: appName,
  namespace: str,
  instances: count,
  autostart: bool,
  envSources: mapOf(str),
  origin: nullable(shape({ file: str, index: count })),
  dependsOn: optional(listOf(shape({ app: str, condition: oneOf('started', 'ready', 'healthy'), restart: bool }))),
  run: shape({
    script: str,
    args: strings,
    interpreter: nullable(str),
    interpreterArgs: strings,
    cwd: str,
    env: mapOf(str),
    execMode: oneOf('fork', 'cluster'),
    instanceVar: str,
    incrementVar: nullable(str),
    uid: optional(count),
    gid: optional(count),
    pidFile: optional(str),
    listen: optional(listOf(listenAddress)),
  }),
  policy: shape({
    autorestart: bool,
    maxRestarts: count,
    minUptimeMs: ms,
    restartDelayMs: ms,
    expBackoffRestartDelayMs: nullable(ms),
    stopExitCodes: listOf(int),
    maxMemoryRestartBytes: nullable(ms),
    killSignal: signal,
    killTimeoutMs: ms,
    listenTimeoutMs: ms,
    waitReady: bool,
    shutdownWithMessage: bool,
    watch: nullable(shape({ paths: strings, ignore: strings, delayMs: ms })),
  }),
  logs: shape({ out: nullable(str), err: nullable(str), merge: bool, combined: optional(str) }),
});

const uniqueNames: Check = (value, path) => {
  const apps = value as Array<{ name: string }>;
  const seen = new Set<string>();
  for (let i = 0; i < apps.length; i++) {
    if (seen.has(apps[i]!.name)) return `${path}[${i}].name: \`${apps[i]!.name}\` names two apps`;
    seen.add(apps[i]!.name);
  }
  return undefined;
};

/** AppOwner (src/config/types.ts): who applied an app; kept in the state file and shown by `tend show`. */
export const appOwner: Check = shape({
  key: str,
  project: optional(str),
  file: optional(str),
  hash: optional(str),
  git: optional(shape({ commit: str, branch: nullable(str), remote: nullable(str), dirty: bool })),
  at: ms,
  user: str,
});

const desiredState = shape({
  file: optional(nullable(str)),
  project: optional(str),
  owner: optional(appOwner),
  apps: (value, path) => listOf(appSpec)(value, path) ?? uniqueNames(value, path),
});

const planOptions = optional(
  shape({
    only: optional(strings),
    prune: optional(bool),
    restart: optional(oneOf('restart', 'reload')),
    noDeps: optional(bool),
    takeOver: optional(bool),
  }),
);
const targets = targetSelection;

/** Checks by method; a method not listed takes no params or checks its own. */
const PARAMS: Record<string, Check> = {
  list: optional(nullable(shape({ table: optional(bool), owners: optional(bool) }))),
  show: oneTarget({ showSecrets: optional(bool) }),
  plan: shape({
    desired: desiredState,
    options: planOptions,
    fingerprints: optional(bool),
    desiredHash: optional(str),
  }),
  planKnown: shape({ desiredHash: str, owner: appOwner, options: planOptions, fingerprints: optional(bool) }),
  apply: shape({
    desired: desiredState,
    options: planOptions,
    gates: optional(shape({ deny: optional(strings), maxUnavailable: optional(count) })),
    expect: optional(mapOf(str)),
    atomic: optional(bool),
    recordAs: optional(oneOf('rollback', 'scale')),
  }),
  start: targets,
  stop: targets,
  restart: targets,
  reload: targets,
  delete: targets,
  flush: targets,
  scale: shape({ app: str, count: str }),
  specs: optional(shape({ names: optional(strings) })),
  sendData: shape({ id: count, packet: mapOf(() => undefined) }),
  trigger: oneTarget({ action: str, arg: optional(str) }),
  profile: oneTarget({
    kind: oneOf('cpu', 'heap', 'heap-sampling'),
    durationMs: ms,
    instance: optional(count),
    dir: str,
    file: optional(str),
  }),
  inspect: oneTarget({ instance: optional(count), close: optional(bool) }),
  ...processVerbParams,
  dashboard: optional(
    shape({
      host: optional(str),
      port: optional(
        expect('a port from 0 to 65535', (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535),
      ),
      metricsPublic: optional(bool),
    }),
  ),
};

/** Throws PROTOCOL naming the first field of `params` that is not what `method` takes. */
export function checkParams(method: string, params: unknown, self: DaemonIds = ownIds()): void {
  const check = Object.hasOwn(PARAMS, method) ? PARAMS[method] : undefined;
  const problem = check?.(params, 'params');
  if (problem) throw new TendError('PROTOCOL', `bad \`${method}\` request: ${problem}`);
  if (method === 'plan' || method === 'apply') checkRunAs((params as { desired: DesiredState }).desired.apps, self);
}

/** Who the daemon runs as. */
export interface DaemonIds {
  uid: number;
  gid: number;
}

function ownIds(): DaemonIds {
  return { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
}

/**
 * Only root can start a process as another user or group. A daemon that is not root refuses the whole
 * request before acting on any of it, rather than starting the other apps and failing these at spawn.
 */
export function checkRunAs(apps: readonly AppSpec[], self: DaemonIds): void {
  if (self.uid === 0) return;
  const refused = apps.filter(
    ({ run }) => (run.uid !== undefined && run.uid !== self.uid) || (run.gid !== undefined && run.gid !== self.gid),
  );
  if (refused.length === 0) return;
  const problems = refused.map(({ name, run }) => {
    const ids = [run.uid !== undefined ? `uid ${run.uid}` : '', run.gid !== undefined ? `gid ${run.gid}` : '']
      .filter(Boolean)
      .join(', ');
    return { message: `\`${name}\` asks for ${ids}` };
  });
  throw new TendError(
    'USAGE',
    `tend's daemon runs as uid ${self.uid}, not root, so it cannot run apps as another user or group; nothing was changed. Run tend as root to use \`uid\`/\`gid\` (root's tend has its own home and daemon), or remove them`,
    { problems },
  );
}
