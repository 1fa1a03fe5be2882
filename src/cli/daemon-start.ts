import { closeSync, mkdirSync, openSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { TendPaths } from '../core/home.js';

/**
 * V8 options of the daemon, each measured with 100 idle apps.
 * - A young generation of at most 1 MB a half (16 MB on 64-bit by default): the daemon's steady garbage (a probe
 *   report per app and a usage sample a second) would grow it to several MB that stay resident. 77 → 68 MiB of RSS,
 *   idle CPU unchanged, a `list` answer about 0.15 ms slower (no difference in `tend ls`).
 * - No Sparkplug (V8's baseline compiler): its machine code for every function run a few times (the start of 100
 *   apps runs many once or twice) stays resident. 54.1 → 53.0 MiB; the daemon waits on I/O, so idle CPU (0.65 %),
 *   the 100-app apply (1.5 s) and 20 `tend ls` (0.56 s) measured the same; TurboFan still optimises what is hot.
 * Node documents both flags, so no Node version refuses them.
 */
const DAEMON_NODE_OPTIONS = ['--max-semi-space-size=1', '--no-sparkplug'];

/**
 * One glibc malloc arena for the daemon instead of one per thread that ever allocated (its main thread, libuv's four
 * file-system threads and V8's helpers each kept their own, partly empty): 100 apps just started, 56.3 → 54.3 MiB
 * of RSS with the growing usage rings, CPU at rest unchanged (0.6–0.7 % either way). A value the user set wins; musl
 * ignores it. Nothing the daemon starts inherits its environment (apps get theirs from the ecosystem and the CLI).
 */
const DAEMON_MALLOC_ARENAS = '1';

/** A daemon being started: its own reason if it fails to start. */
export interface DaemonStart {
  /** Resolves with why the daemon could not start (its own words, or how it ended); never resolves once it serves. */
  failure: Promise<string>;
}

/**
 * The daemon runs detached in its own session, so a closing terminal or a killed CLI does not take it down. It tells
 * the CLI that started it how its start went on a pipe (its fd 3), not in daemon.log: on a full disk that log cannot
 * take the reason, and the CLI would wait out its time and point at an empty file.
 */
export function startDaemon(paths: TendPaths, entry: string): DaemonStart {
  mkdirSync(paths.home, { recursive: true, mode: 0o700 });
  const log = openSync(paths.daemonLog, 'a', 0o600);
  // Loaded only when a daemon is to be started: a command that finds one running never needs node:child_process.
  const { spawn } = process.getBuiltinModule('node:child_process');
  const child = spawn(process.execPath, [...DAEMON_NODE_OPTIONS, entry], {
    detached: true,
    stdio: ['ignore', log, log, 'pipe'],
    env: { MALLOC_ARENA_MAX: DAEMON_MALLOC_ARENAS, ...process.env, TEND_HOME: paths.home, TEND_START_REPORT_FD: '3' },
  });
  closeSync(log);
  const report = child.stdio[3] as Socket;
  const failure = new Promise<string>((resolve) => {
    let said = '';
    report.setEncoding('utf8');
    report.on('data', (chunk: string) => {
      said += chunk;
    });
    report.on('error', () => undefined);
    child.on('exit', (code, signal) => {
      if (said.startsWith('ok')) return;
      const reason = said.startsWith('error: ') ? said.slice('error: '.length).trim() : '';
      resolve(reason || `it ended (${signal ?? `exit code ${code}`}) before saying why; see ${paths.daemonLog}`);
    });
  });
  // Neither the pipe nor the child keeps this CLI alive once its command is done.
  report.unref();
  child.unref();
  return { failure };
}
