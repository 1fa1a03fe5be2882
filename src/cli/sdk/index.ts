// `require('tend')` / `import tend from 'tend'` (dist/api.cjs, dist/api.mjs): PM2's programmatic API, a client of tend's
// daemon over its control socket like the CLI. Each call opens a connection of its own and closes it when answered,
// so a script that forgets disconnect() still exits; only a bus (launchBus) holds one open, until it is closed.
import { withOwner } from '../owner.js';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ApplyResult as TendApplyResult } from '../../api/methods.js';
import { desiredFromApps, isEcosystemFile, loadDesiredState } from '../../config/index.js';
import type { ConfigWarning, DesiredState } from '../../config/types.js';
import { TendError } from '../../core/errors.js';
import { resolvePaths } from '../../core/home.js';
import { DaemonClient } from '../client.js';
import { shellEnv } from '../commands/apply.js';
import { startDaemon } from '../daemon-start.js';
import { pm2List } from '../fast/pm2-list.js';
import { TendBus } from './bus.js';
import type {
  ApplyResult,
  Bus,
  Callback,
  DataPacket,
  FileOptions,
  ListOptions,
  Plan,
  ProcessDescription,
  StartOptions,
  TendApi,
  TriggerAnswer,
} from './public-types.js';

export type * from './public-types.js';

/** dist/, where this file is bundled beside the daemon it starts. */
function daemonEntry(): string {
  return join(__dirname, 'daemon.cjs');
}

/** Runs `fn` on a connection of its own, starting the daemon first when none runs (as any tend command does). */
async function withClient<T>(fn: (client: DaemonClient) => Promise<T>): Promise<T> {
  const paths = resolvePaths();
  const client = await DaemonClient.connect(paths, () => startDaemon(paths, daemonEntry()));
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

/**
 * PM2's calling convention: the last argument may be a callback, called with (err, result) once the call is done;
 * the call also returns a promise. A callback that throws throws as it would from PM2 (outside any promise).
 */
function settle<T>(work: () => Promise<T>, cb: Callback<T> | undefined): Promise<T> {
  const promise = Promise.resolve().then(work);
  if (cb)
    promise.then(
      (result) => queueMicrotask(() => cb(null, result)),
      (err: unknown) => queueMicrotask(() => cb(err instanceof Error ? err : new Error(String(err)))),
    );
  return promise;
}

/** Splits `(…args, cb?)`: the trailing function, if any, and the rest. */
function split<T>(args: unknown[]): { rest: unknown[]; cb: Callback<T> | undefined } {
  const last = args.at(-1);
  return typeof last === 'function'
    ? { rest: args.slice(0, -1), cb: last as Callback<T> }
    : { rest: args.filter((a) => a !== undefined), cb: undefined };
}

function names(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : value.split(/[,\s]+/)).filter(Boolean);
}

function warn(warnings: ConfigWarning[]): void {
  for (const w of warnings) process.stderr.write(`tend: warning: ${w.path ? `${w.path}: ` : ''}${w.message}\n`);
}

/** An apply whose instances did not all come up is an error, as a failed `pm2.start` is. */
function failedError(result: TendApplyResult): TendError | null {
  const notStarted = result.notStarted ?? [];
  if (result.failed.length === 0 && notStarted.length === 0) return null;
  const what = [
    ...result.failed.map((f) => `${f.app}[${f.instance}] (id ${f.id}) ${f.reason}`),
    ...notStarted.map((app) => app.reason),
  ].join('; ');
  return new TendError('APPLY_FAILED', `not every instance came up: ${what}`);
}

/** The processes of these apps, in PM2's shape. */
async function describeApps(appNames: string[]): Promise<ProcessDescription[]> {
  const all = await listImpl({});
  return all.filter((p) => appNames.includes(p.name));
}

async function listImpl(options: ListOptions): Promise<ProcessDescription[]> {
  const home = resolvePaths().home;
  return (await withClient((client) => pm2List(client, home, options.showSecrets === true))) as ProcessDescription[];
}

/** The processes a target names (a name, an id, `all`, a namespace), in PM2's shape. */
async function describeTarget(target: string | number): Promise<ProcessDescription[]> {
  const text = String(target);
  const all = await listImpl({});
  return all.filter(
    (p) => text === 'all' || p.name === text || String(p.pm_id) === text || p.pm2_env.namespace === text,
  );
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The desired state a `start` argument stands for, or null when it names apps tend already has. */
async function desiredForStart(target: string | StartOptions, options: StartOptions): Promise<DesiredState | null> {
  const home = resolvePaths().home;
  const base = { home, baseEnv: { kind: 'shell' as const, vars: shellEnv() }, unknownKeys: 'warn' as const };
  if (typeof target === 'object') {
    const apps = Array.isArray(target.apps) ? target.apps : [target];
    return desiredFromApps(apps, { ...base, cwd: process.cwd(), origin: 'start()' });
  }
  if (isEcosystemFile(target) && existsSync(target))
    return loadDesiredState(resolve(target), {
      ...base,
      envName: typeof options.env === 'string' ? options.env : undefined,
      only: names(options.only as string | string[] | undefined),
    });
  if (isFile(target)) {
    const { only: _only, apps: _apps, ...app } = options;
    return desiredFromApps([{ ...app, script: target }], { ...base, cwd: process.cwd(), origin: 'start()' });
  }
  return null;
}

async function startImpl(target: string | StartOptions, options: StartOptions): Promise<ProcessDescription[]> {
  const desired = await desiredForStart(target, options);
  if (desired === null) {
    // Names or ids of apps tend already has: start those that are stopped, as `tend start api` does.
    const result = await withClient((client) => client.call('start', { targets: [String(target)] }));
    const error = failedError(result);
    if (error) throw error;
    return describeTarget(target as string);
  }
  warn(desired.warnings);
  const appNames = desired.apps.map((a) => a.name);
  const owned = await withOwner(desired);
  const result = await withClient((client) => client.call('apply', { desired: owned, options: { only: appNames } }));
  const error = failedError(result);
  if (error) throw error;
  return describeApps(appNames);
}

/** `tend stop|restart|reload|delete TARGET`; answers with the processes concerned, in PM2's shape. */
async function targetVerb(
  verb: 'stop' | 'restart' | 'reload' | 'delete',
  target: string | number,
): Promise<ProcessDescription[]> {
  const before = await describeTarget(target);
  const result = await withClient((client) => client.call(verb, { targets: [String(target)] }));
  if (verb === 'delete') return before;
  if ('failed' in result) {
    const error = failedError(result);
    if (error) throw error;
  }
  return describeTarget(target);
}

async function loadFile(file: string, options: FileOptions): Promise<DesiredState> {
  const desired = await loadDesiredState(resolve(file), {
    home: resolvePaths().home,
    envName: options.env,
    only: names(options.only),
    baseEnv: { kind: 'clean' },
  });
  warn(desired.warnings);
  return desired;
}

const buses = new Set<TendBus>();

async function launchBusImpl(): Promise<Bus> {
  const paths = resolvePaths();
  // The daemon must run for the bus to connect; `connect` starts it, so a script need not have called it first.
  await withClient((client) => client.call('ping', undefined));
  const bus = new TendBus(paths, (closed) => buses.delete(closed));
  await bus.open();
  buses.add(bus);
  return bus;
}

function closeBuses(): void {
  for (const bus of [...buses]) bus.close();
}

const api: TendApi = {
  connect(...args: unknown[]) {
    const { cb } = split<void>(args);
    return settle(async () => {
      await withClient((client) => client.call('ping', undefined));
    }, cb);
  },
  disconnect(...args: unknown[]) {
    const { cb } = split<void>(args);
    return settle(async () => closeBuses(), cb);
  },
  start(...args: unknown[]) {
    const { rest, cb } = split<ProcessDescription[]>(args);
    const [target, options] = rest as [string | StartOptions, StartOptions | undefined];
    return settle(() => startImpl(target, options ?? {}), cb);
  },
  stop(target: string | number, cb?: Callback<ProcessDescription[]>) {
    return settle(() => targetVerb('stop', target), cb);
  },
  restart(...args: unknown[]) {
    const { rest, cb } = split<ProcessDescription[]>(args);
    return settle(() => targetVerb('restart', rest[0] as string | number), cb);
  },
  reload(...args: unknown[]) {
    const { rest, cb } = split<ProcessDescription[]>(args);
    return settle(() => targetVerb('reload', rest[0] as string | number), cb);
  },
  delete(target: string | number, cb?: Callback<ProcessDescription[]>) {
    return settle(() => targetVerb('delete', target), cb);
  },
  list(...args: unknown[]) {
    const { rest, cb } = split<ProcessDescription[]>(args);
    return settle(() => listImpl((rest[0] as ListOptions | undefined) ?? {}), cb);
  },
  describe(target: string | number, cb?: Callback<ProcessDescription[]>) {
    return settle(() => describeTarget(target), cb);
  },
  apply(...args: unknown[]) {
    const { rest, cb } = split<ApplyResult>(args);
    const [file, options = {}] = rest as [string, FileOptions?];
    return settle(async () => {
      const desired = await withOwner(await loadFile(file, options));
      const planOptions = { only: names(options.only), prune: options.prune };
      const result = await withClient((client) => client.call('apply', { desired, options: planOptions }));
      const error = failedError(result);
      if (error) throw error;
      return result as ApplyResult;
    }, cb);
  },
  plan(...args: unknown[]) {
    const { rest, cb } = split<Plan>(args);
    const [file, options = {}] = rest as [string, FileOptions?];
    return settle(async () => {
      const desired = await withOwner(await loadFile(file, options));
      const planOptions = { only: names(options.only), prune: options.prune };
      return (await withClient((client) => client.call('plan', { desired, options: planOptions }))) as Plan;
    }, cb);
  },
  scale(name: string, count: number | string, cb?: Callback<ApplyResult>) {
    return settle(async () => {
      const result = await withClient((client) => client.call('scale', { app: name, count: String(count) }));
      const error = failedError(result);
      if (error) throw error;
      return result as ApplyResult;
    }, cb);
  },
  sendSignalToProcessName(signal: string | number, name: string | number, cb?: Callback<unknown>) {
    return settle(async () => {
      const { constants } = await import('node:os');
      const byNumber = Object.entries(constants.signals).find(([, n]) => n === signal)?.[0];
      const signalName = typeof signal === 'number' ? byNumber : signal.startsWith('SIG') ? signal : `SIG${signal}`;
      if (!signalName) throw new TendError('USAGE', `${signal} is not a signal number`);
      return withClient((client) => client.call('sendSignal', { targets: [String(name)], signal: signalName }));
    }, cb);
  },
  sendDataToProcessId(...args: unknown[]) {
    const { rest, cb } = split<{ success: true }>(args);
    return settle(async () => {
      const [first, second] = rest as [number | DataPacket, DataPacket | undefined];
      const packet = typeof first === 'object' ? first : { ...(second as DataPacket), id: first };
      const id = Number(packet.id);
      // PM2 refuses a packet without its id, data or topic; the same rule keeps scripts portable both ways.
      if (!Number.isInteger(id) || packet.data === undefined || !packet.topic)
        throw new TendError('USAGE', 'sendDataToProcessId needs a packet with `id`, `data` and `topic` (as PM2)');
      return withClient((client) => client.call('sendData', { id, packet: { ...packet } }));
    }, cb);
  },
  trigger(...args: unknown[]) {
    const { rest, cb } = split<TriggerAnswer[]>(args);
    const [target, action, param] = rest as [string | number, string, unknown];
    return settle(
      () =>
        withClient((client) =>
          client.call('trigger', {
            target: String(target),
            action,
            ...(param === undefined ? {} : { arg: typeof param === 'string' ? param : JSON.stringify(param) }),
          }),
        ),
      cb,
    );
  },
  launchBus(cb?: Callback<Bus>) {
    return settle(launchBusImpl, cb);
  },
  disconnectBus(cb?: Callback<void>) {
    return settle(async () => closeBuses(), cb);
  },
  dump(cb?: Callback<{ file: string; apps: number }>) {
    return settle(() => withClient((client) => client.call('save', undefined)), cb);
  },
  resurrect(cb?: Callback<unknown>) {
    return settle(() => withClient((client) => client.call('resurrect', undefined)), cb);
  },
  flush(...args: unknown[]) {
    const { rest, cb } = split<{ files: string[] }>(args);
    const target = rest[0];
    return settle(
      () =>
        withClient((client) =>
          client.call('flush', { targets: target === undefined || target === 'all' ? [] : [String(target)] }),
        ),
      cb,
    );
  },
  reloadLogs(cb?: Callback<unknown>) {
    return settle(() => withClient((client) => client.call('reloadLogs', undefined)), cb);
  },
  killDaemon(cb?: Callback<{ stopped: number }>) {
    return settle(async () => {
      closeBuses();
      const paths = resolvePaths();
      let client: DaemonClient;
      try {
        client = await DaemonClient.connect(paths);
      } catch {
        return { stopped: 0 };
      }
      try {
        return await client.call('kill', undefined);
      } finally {
        client.close();
      }
    }, cb);
  },
};

export default api;
export const {
  connect,
  disconnect,
  start,
  stop,
  restart,
  reload,
  list,
  describe,
  apply,
  plan,
  scale,
  sendSignalToProcessName,
  sendDataToProcessId,
  trigger,
  launchBus,
  disconnectBus,
  dump,
  resurrect,
  flush,
  reloadLogs,
  killDaemon,
} = api;
// `delete` is a reserved word: exported under that name from a binding with another.
const remove = api.delete;
export { remove as delete };
