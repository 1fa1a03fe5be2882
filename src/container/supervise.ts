import { readFileSync, unlinkSync } from 'node:fs';
import type { Server } from 'node:net';
import type { DesiredState } from '../config/types.js';
import { defaults } from '../core/defaults.js';
import type { TendPaths } from '../core/home.js';
import { Daemon } from '../daemon/daemon.js';
import { serveControlSocket } from '../daemon/server.js';
import { viewOf } from '../daemon/views.js';
import type { RuntimeArgs } from './args.js';
import { runOutcome } from './auto-exit.js';
import type { ConsoleReader } from './console-reader.js';
import type { ConsoleStream } from './console-routes.js';
import type { EarlyStarted } from './early-start.js';
import { removeFifos } from './fifos.js';
import { openReaders } from './open-readers.js';
import type { StopSignals } from './stop-signals.js';

/** How often tend-runtime looks whether every app has come to rest (in-process: no socket, no /proc). */
const AUTO_EXIT_CHECK_MS = 250;
/** The last lines of the apps are read until their FIFOs have been quiet this long, for at most DRAIN_MAX_MS. */
const DRAIN_QUIET_MS = 30;
const DRAIN_MAX_MS = 500;

/** What src/container/main.ts has set up when it hands over to the daemon. */
export interface Supervision {
  args: RuntimeArgs;
  paths: TendPaths;
  version: string;
  /** Where dist/ is: the daemon's helpers (log writer, cluster primary, probe) sit beside the runtime. */
  distDir: string;
  /** The file's apps, their default output routed to the console's FIFOs. */
  desired: DesiredState;
  streams: readonly ConsoleStream[];
  fifosMade: Promise<void>;
  /** The apps started before the daemon was set up, with the readers of their FIFOs; null when none were. */
  early: { started: EarlyStarted; readers: ConsoleReader[] } | null;
  stops: StopSignals;
  saveCodeCache: () => void;
}

/**
 * The second half of `tend-runtime FILE`, loaded once the file's apps may already run (src/container/main.ts): the
 * daemon (the Daemon class) set up in this process, the file applied (taking over the apps started early), the
 * control socket served in the home, and the run's end: on a stop signal, a `tend kill`, or once every app has
 * stopped. Resolves with the exit code.
 */
export async function supervise(s: Supervision): Promise<number> {
  const { args, paths, desired, streams } = s;
  let readers = s.early?.readers ?? [];
  const daemon = new Daemon(paths, s.version, s.distDir);
  const early = s.early?.started ?? null;
  if (early) daemon.prelaunched = (req) => early.takeOver(req);
  daemon.start();
  const handlers = daemon.handlers();
  // The apps started early are the daemon's as soon as it is there: the apply goes first in its queue, before any stop.
  const applying = early ? handlers.apply({ desired, options: { only: args.only } }, () => undefined) : null;
  applying?.catch(() => undefined);
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
      // The apply that takes over the apps started early adds them to the registry: the stop must see them.
      await applying?.catch(() => undefined);
      if (signal) forwardOnStop(daemon, signal);
      await handlers.kill(undefined, () => undefined);
      await endUntaken(early);
      await daemon.shutdown();
      // The event loop reads what the apps wrote last (a goodbye on SIGTERM) before the FIFOs close.
      await Promise.all(readers.map((reader) => reader.drained(DRAIN_QUIET_MS, DRAIN_MAX_MS)));
      for (const reader of readers) reader.close();
      removeFifos(streams.map((stream) => stream.fifo));
      removePidFile(paths);
      // Stopped before the first apply answered (the app ran, then `docker stop`): the code is kept all the same.
      s.saveCodeCache();
      finished(exitCode);
      return exitCode;
    })();
    return finishing;
  };
  server = await serveControlSocket(daemon, paths.socket, () => {
    // `tend kill` from another shell stopped every app: the run is over.
    exitCode = outcomeCode(daemon);
    void finish();
  });
  // Once the socket is served, so that a stop closes it (one that came before was held until now).
  s.stops.handTo((signal) => void finish(signal));
  try {
    await s.fifosMade;
  } catch (error) {
    await finish();
    throw error;
  }
  // A signal that came while the daemon was set up: there is nothing to start any more.
  if (finishing !== null) return done;
  if (!early) readers = openReaders(desired, streams, args);
  const result = await (applying ?? handlers.apply({ desired, options: { only: args.only } }, () => undefined));
  await endUntaken(early);
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
  // The apps are up: what V8 compiled to get here is what the next start needs, kept now rather than at the exit, which
  // a container's SIGKILL may never let come.
  s.saveCodeCache();
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

/** Ends what was started early but not taken over by the daemon, and says so: it ran without supervision. */
async function endUntaken(early: EarlyStarted | null): Promise<void> {
  const ended = (await early?.endUntaken()) ?? [];
  if (ended.length > 0)
    process.stderr.write(
      `tend-runtime: ended ${ended.join(', ')}: started before the daemon was set up, but not the process it asked for\n`,
    );
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

function removePidFile(paths: TendPaths): void {
  try {
    if (readFileSync(paths.pidFile, 'utf8').trim() === String(process.pid)) unlinkSync(paths.pidFile);
  } catch {
    // Already gone.
  }
}
