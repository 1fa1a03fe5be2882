import { realpathSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadDesiredState } from '../config/index.js';
import type { DesiredState } from '../config/types.js';
import { resolvePaths, type TendPaths } from '../core/home.js';
import { isTendError } from '../core/errors.js';
import { claimHome } from '../daemon/claim-home.js';
import { parseRuntimeArgs, RUNTIME_USAGE, type RuntimeArgs } from './args.js';
import { consoleDir, routeToConsole } from './console-routes.js';
import { earlyStarts } from './early-plan.js';
import { EarlyStarted } from './early-start.js';
import { makeFifos } from './fifos.js';
import { UNDER_INIT_VAR } from './init.js';
import { openReaders } from './open-readers.js';
import { firstApplyStdinFifos } from './stdin-fifos.js';
import { StopSignals } from './stop-signals.js';

declare const TEND_VERSION: string;
const VERSION = typeof TEND_VERSION === 'string' ? TEND_VERSION : '0.0.0';

/** The signals that stop every app and then tend-runtime: what `docker stop`, Ctrl-C and a closed terminal send. */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT'];

/** What the entry (src/container/entry.ts) tells the runtime. */
export interface RuntimeOptions {
  /** Whether orphans are reaped (tini above, or not PID 1): without, a warning says they will stay zombies. */
  reaping: boolean;
  /** Loads a bundle beside the runtime, with V8's code cache (src/core/code-cache.ts). */
  requireBundle: <T>(name: string) => T;
  /** Stores the code V8 compiled for the bundles loaded so far, for those it did not come from the cache for. */
  saveCodeCache?: () => void;
}

/** The daemon's half (src/container/supervise.ts), bundled beside this file by scripts/build.mjs. */
const DAEMON_BUNDLE = 'runtime-daemon.cjs';

/**
 * `tend-runtime FILE`: the daemon, in the foreground, for one file. The file is loaded and checked as `tend apply`
 * does (a bad file starts nothing); the apps run under tend's own supervision (the Daemon class); their output comes
 * back through FIFOs to this process's stdout and stderr; the control socket is served in the home, so `tend ls` and
 * the other verbs work from another shell. Resolves with the exit code.
 *
 * This file holds what comes before the first app starts, and nothing more is loaded before it starts when the order
 * of the first apply is sure (src/container/early-plan.ts): the daemon (src/container/supervise.ts, the Daemon class,
 * xstate, the planner, the control socket) is set up while the app boots, and takes it over.
 */
export async function main(argv: readonly string[], options: RuntimeOptions): Promise<number> {
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
    return await run(args, paths, desired, options.requireBundle, once(options.saveCodeCache));
  } catch (error) {
    return reportError(error);
  }
}

async function run(
  args: RuntimeArgs,
  paths: TendPaths,
  loaded: DesiredState,
  requireBundle: RuntimeOptions['requireBundle'],
  saveCodeCache: () => void,
): Promise<number> {
  const { desired, streams } = routeToConsole(loaded, paths.home);
  const fifos = { console: [...new Set(streams.map((s) => s.fifo))], stdin: firstApplyStdinFifos(desired, paths.home) };
  const fifosMade = makeFifos(consoleDir(paths.home), fifos);
  // Nobody waits on it yet: a failure is seen where it is awaited, in supervise().
  fifosMade.catch(() => undefined);
  // From here on something of the run exists: a stop signal waits for the run to act on it.
  const stops = new StopSignals(STOP_SIGNALS);
  process.on('uncaughtException', (err) => process.stderr.write(`tend-runtime: uncaught exception: ${String(err)}\n`));
  process.on('unhandledRejection', (err) =>
    process.stderr.write(`tend-runtime: unhandled rejection: ${String(err)}\n`),
  );
  writeFileSync(paths.pidFile, `${process.pid}\n`, { mode: 0o600 });
  // The daemon's helpers (log writer, cluster primary, probe) sit beside dist/runtime.cjs, wherever the bin that
  // started it links from (npm's node_modules/.bin/tend-runtime is a symbolic link).
  const distDir = dirname(realpathSync(process.argv[1]!));
  // The apps start as soon as their FIFOs are there, the daemon's code not even loaded: it is set up while they boot.
  const starts = earlyStarts(desired, process.pid);
  let early: { started: EarlyStarted; readers: ReturnType<typeof openReaders> } | null = null;
  const fifosThere =
    starts !== null &&
    (await fifosMade.then(
      () => true,
      () => false,
    ));
  if (starts !== null && fifosThere && stops.pending === null) {
    const readers = openReaders(desired, streams, args);
    early = { readers, started: new EarlyStarted(starts, paths.home, distDir) };
    await early.started.launched();
  }
  const { supervise } = requireBundle<typeof import('./supervise.js')>(DAEMON_BUNDLE);
  return supervise({
    args,
    paths,
    version: VERSION,
    distDir,
    desired,
    streams,
    fifosMade,
    early,
    stops,
    saveCodeCache,
  });
}

/** The environment apps start from: this process's, but for TEND_HOME, which is tend's own business. */
function inheritedEnv(): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'TEND_HOME') vars[k] = v;
  delete vars[UNDER_INIT_VAR];
  return vars;
}

/** `f` run on the first call only (nothing without one). */
function once(f: (() => void) | undefined): () => void {
  let done = f === undefined;
  return () => {
    if (done) return;
    done = true;
    f!();
  };
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
