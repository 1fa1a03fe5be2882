import { readFileSync, realpathSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Server } from 'node:net';
import { loadDesiredState } from '../config/index.js';
import type { DesiredState } from '../config/types.js';
import { defaults } from '../core/defaults.js';
import { resolvePaths, type TendPaths } from '../core/home.js';
import { isTendError } from '../core/errors.js';
import { Daemon } from '../daemon/daemon.js';
import { claimHome } from '../daemon/claim-home.js';
import { serveControlSocket } from '../daemon/server.js';
import { viewOf } from '../daemon/views.js';
import { parseRuntimeArgs, RUNTIME_USAGE, type RuntimeArgs } from './args.js';
import { runOutcome } from './auto-exit.js';
import { labelOf } from './console-line.js';
import { ConsoleReader } from './console-reader.js';
import { consoleDir, routeToConsole, type ConsoleStream } from './console-routes.js';
import { makeFifos, removeFifos } from './fifos.js';
import { UNDER_INIT_VAR } from './init.js';

declare const TEND_VERSION: string;
const VERSION = typeof TEND_VERSION === 'string' ? TEND_VERSION : '0.0.0';

/** How often tend-runtime looks whether every app has come to rest (in-process: no socket, no /proc). */
const AUTO_EXIT_CHECK_MS = 250;
/** The last lines of the apps are read until their FIFOs have been quiet this long, for at most DRAIN_MAX_MS. */
const DRAIN_QUIET_MS = 30;
const DRAIN_MAX_MS = 500;
/** The signals that stop every app and then tend-runtime: what `docker stop`, Ctrl-C and a closed terminal send. */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT'];

/**
 * `tend-runtime FILE`: the daemon, in the foreground, for one file. The file is loaded and checked as `tend apply`
 * does (a bad file starts nothing); the apps run under tend's own supervision (the Daemon class); their output comes
 * back through FIFOs to this process's stdout and stderr; the control socket is served in the home, so `tend ls` and
 * the other verbs work from another shell. Resolves with the exit code.
 */
export async function main(argv: readonly string[], options: { reaping: boolean }): Promise<number> {
  let args: RuntimeArgs;
  try {
    const parsed = parseRuntimeArgs(argv);
    if (parsed.kind === 'help') return print(process.stdout, RUNTIME_USAGE, 0);
    if (parsed.kind === 'version') return print(process.stdout, `${VERSION}\n`, 0);
    args = parsed.args;
  } catch (error) {
    return reportError(error);
  }
  // A closed stdout (`tend-runtime FILE | head`) must not take the apps' supervisor down.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  const paths = resolvePaths();
  let desired: DesiredState;
  try {
    desired = await loadDesiredState(resolve(args.file), {
      home: paths.home,
      envName: args.envName,
      only: args.only,
      // A container's environment (PORT, NODE_ENV, what `docker run -e` gives) reaches the apps, as under pm2-runtime.
      baseEnv: { kind: 'shell', vars: inheritedEnv() },
    });
  } catch (error) {
    return reportError(error);
  }
  for (const warning of desired.warnings) {
    const where = warning.position
      ? `${warning.position.file}:${warning.position.line}:${warning.position.column} `
      : '';
    process.stderr.write(
      `tend-runtime: warning: ${where}${warning.path ? `${warning.path}: ` : ''}${warning.message}\n`,
    );
  }
  if (!options.reaping)
    process.stderr.write(
      'tend-runtime: warning: running as PID 1 without tini: orphaned processes will stay zombies (install tini, or use `docker run --init`)\n',
    );
  try {
    if ((await claimHome(paths)) === 'taken') {
      process.stderr.write(
        `tend-runtime: a tend daemon already serves ${paths.socket}; stop it (tend kill) or give tend-runtime a home of its own (TEND_HOME)\n`,
      );
      return 1;
    }
    return await run(args, paths, desired);
  } catch (error) {
    return reportError(error);
  }
}

async function run(args: RuntimeArgs, paths: TendPaths, loaded: DesiredState): Promise<number> {
  const { desired, streams } = routeToConsole(loaded, paths.home);
  const fifosMade = makeFifos(consoleDir(paths.home), [...new Set(streams.map((s) => s.fifo))]);
  // Nobody waits on it yet: a failure is seen where it is awaited, below.
  fifosMade.catch(() => undefined);
  let readers: ConsoleReader[] = [];
  writeFileSync(paths.pidFile, `${process.pid}\n`, { mode: 0o600 });
  // The daemon's helpers (log writer, cluster primary, probe) sit beside dist/runtime.cjs, wherever the bin that
  // started it links from (npm's node_modules/.bin/tend-runtime is a symbolic link).
  const daemon = new Daemon(paths, VERSION, dirname(realpathSync(process.argv[1]!)));
  daemon.start();
  const handlers = daemon.handlers();
  let server: Server | null = null;
  let finishing: Promise<number> | null = null;
  let exitCode = 0;
  let checkTimer: NodeJS.Timeout | null = null;
  let finished!: (code: number) => void;
  const done = new Promise<number>((resolveDone) => {
    finished = resolveDone;
  });
  // Every way out goes through here: apps stopped (kill_timeout honoured, as `tend kill`), FIFOs read to the end and
  // removed, the socket and pid file gone.
  const finish = (signal?: NodeJS.Signals): Promise<number> => {
    finishing ??= (async () => {
      if (checkTimer) clearInterval(checkTimer);
      server?.close();
      if (signal) forwardOnStop(daemon, signal);
      await handlers.kill(undefined, () => undefined);
      await daemon.shutdown();
      // The event loop reads what the apps wrote last (a goodbye on SIGTERM) before the FIFOs close.
      await Promise.all(readers.map((reader) => reader.drained(DRAIN_QUIET_MS, DRAIN_MAX_MS)));
      for (const reader of readers) reader.close();
      removeFifos(streams.map((s) => s.fifo));
      removePidFile(paths);
      finished(exitCode);
      return exitCode;
    })();
    return finishing;
  };
  for (const signal of STOP_SIGNALS) process.on(signal, () => void finish(signal));
  process.on('uncaughtException', (err) => process.stderr.write(`tend-runtime: uncaught exception: ${String(err)}\n`));
  process.on('unhandledRejection', (err) =>
    process.stderr.write(`tend-runtime: unhandled rejection: ${String(err)}\n`),
  );
  server = await serveControlSocket(daemon, paths.socket, () => {
    // `tend kill` from another shell stopped every app: the run is over.
    exitCode = outcomeCode(daemon);
    void finish();
  });
  try {
    await fifosMade;
  } catch (error) {
    await finish();
    throw error;
  }
  // A signal that came while the daemon was set up: there is nothing to start any more.
  if (finishing !== null) return done;
  readers = openReaders(desired, streams, args);
  const result = await handlers.apply({ desired, options: { only: args.only } }, () => undefined);
  // A job that ran and ended with 0 before `apply` called it up (autorestart off) did what it is for: no failure.
  const endedCleanly = new Set(
    daemon.registry
      .processes()
      .filter((p) => p.status === 'stopped' && viewOf(p, Date.now()).exit_code === 0)
      .map((p) => p.id),
  );
  for (const f of result.failed.filter((f) => !endedCleanly.has(f.id)))
    process.stderr.write(`tend-runtime: ${f.app}[${f.instance}] failed to start: ${f.reason}\n`);
  for (const n of result.notStarted ?? []) process.stderr.write(`tend-runtime: ${n.app} not started: ${n.reason}\n`);
  if (args.autoExit && finishing === null) {
    checkTimer = setInterval(() => {
      const outcome = runOutcome(daemon.registry.processes().map((p) => viewOf(p, Date.now())));
      if (!outcome.done) return;
      exitCode = outcome.code;
      void finish();
    }, AUTO_EXIT_CHECK_MS);
  }
  return done;
}

/**
 * The signal tend-runtime received is the one its apps get (an init forwards what it is sent: `docker stop`'s SIGTERM,
 * a terminal's SIGINT), through the stop path of `tend kill`, so kill_timeout and the SIGKILL after it hold. An app
 * whose file sets another kill_signal than tend's default keeps its own: it asked for that one to stop.
 */
function forwardOnStop(daemon: Daemon, signal: NodeJS.Signals): void {
  for (const p of daemon.registry.processes())
    if (p.spec.policy.killSignal === defaults.killSignal && signal !== defaults.killSignal)
      p.updateSpec({ ...p.spec, policy: { ...p.spec.policy, killSignal: signal } });
}

/** The exit code the apps' states call for, whether or not they have all come to rest. */
function outcomeCode(daemon: Daemon): number {
  const views = daemon.registry.processes().map((p) => viewOf(p, Date.now()));
  return views.some((v) => v.status === 'errored') ? 1 : 0;
}

function openReaders(desired: DesiredState, streams: readonly ConsoleStream[], args: RuntimeArgs): ConsoleReader[] {
  const instancesOf = new Map(desired.apps.map((app) => [app.name, app.instances]));
  const labels = streams.map((s) => labelOf(s.app, s.instance, instancesOf.get(s.app) ?? 1));
  const width = Math.max(0, ...labels.map((label) => label.length));
  return streams.map((s, i) => {
    const sink = s.stream === 'out' ? process.stdout : process.stderr;
    const source = { label: labels[i]!, app: s.app, instance: s.instance ?? 0, stream: s.stream };
    return new ConsoleReader(s.fifo, source, args.format, width, (text) => sink.write(text));
  });
}

/** The environment apps start from: this process's, but for TEND_HOME, which is tend's own business. */
function inheritedEnv(): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'TEND_HOME') vars[k] = v;
  delete vars[UNDER_INIT_VAR];
  return vars;
}

function removePidFile(paths: TendPaths): void {
  try {
    if (readFileSync(paths.pidFile, 'utf8').trim() === String(process.pid)) unlinkSync(paths.pidFile);
  } catch {
    // Already gone.
  }
}

function print(stream: NodeJS.WriteStream, text: string, code: number): number {
  stream.write(text);
  return code;
}

function reportError(error: unknown): number {
  const text = isTendError(error) ? error.describe() : error instanceof Error ? error.message : String(error);
  process.stderr.write(`tend-runtime: ${text}\n`);
  return 1;
}

/** Exits once what was written to stdout and stderr is out (a pipe to `docker logs` may still hold it). */
export function exitWhenFlushed(code: number): void {
  let pending = 2;
  const one = (): void => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  process.stdout.write('', one);
  process.stderr.write('', one);
}
