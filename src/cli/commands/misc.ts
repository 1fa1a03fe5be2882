import { plural } from '../../core/plural.js';
import { readFileSync } from 'node:fs';
import { defaults } from '../../core/defaults.js';
import { tendProcessesOfHome, type TendProcess } from '../../runtime/home-processes.js';
import { isRunning } from '../../runtime/process-tree.js';
import { paths, withDaemon } from '../context.js';
import { toSelection } from '../selectors.js';

export async function pingCommand(): Promise<number> {
  const ping = (start: boolean) => withDaemon((client) => client.call('ping', undefined), { start });
  let pong;
  try {
    pong = await ping(false);
    // A daemon that was already up: its start warnings are news to this caller.
    for (const warning of pong.warnings ?? []) process.stderr.write(`tend: warning: ${warning}\n`);
  } catch (err) {
    if ((err as { code?: string }).code !== 'DAEMON_UNREACHABLE') throw err;
    // Starting it prints its warnings once already (client.ts).
    pong = await ping(true);
  }
  process.stdout.write(`pong: daemon ${pong.pid} (tend ${pong.version}) in ${pong.home}\n`);
  return 0;
}

/**
 * `tend kill`: every app stopped, then the daemon; returns only once every process of the home has exited (apps,
 * cluster primaries, log writers, the daemon), so a new start on the same port cannot collide with a leftover. With no
 * daemon but processes of the home still running (a daemon killed with -9), a daemon is started to take them back and
 * stop them.
 */
export async function killCommand(): Promise<number> {
  const home = paths().home;
  let stopped: number;
  try {
    stopped = await killDaemon(false);
  } catch (err) {
    if ((err as { code?: string }).code !== 'DAEMON_UNREACHABLE') throw err;
    if (tendProcessesOfHome(home).length === 0) {
      process.stdout.write(`no daemon running in ${home}\n`);
      return 0;
    }
    stopped = await killDaemon(true);
  }
  const left = await leftovers(home, defaults.killLeftoverWaitMs);
  process.stdout.write(`stopped ${stopped} process${stopped === 1 ? '' : 'es'} and the daemon\n`);
  if (left.length === 0) return 0;
  process.stderr.write(
    `tend: ${left.length} process${left.length === 1 ? '' : 'es'} of ${home} still running ${defaults.killLeftoverWaitMs / 1000} s after kill: ${left.map((p) => `${p.pid} (${p.what})`).join(', ')}\n`,
  );
  return 1;
}

async function killDaemon(start: boolean): Promise<number> {
  const { stopped, daemon } = await withDaemon(
    async (client) => {
      // Read while it runs: it removes its pid file as it exits.
      const daemon = daemonPid();
      return { ...(await client.call('kill', undefined)), daemon };
    },
    { start },
  );
  // The daemon answers before it exits: the next command (`tend resurrect`) must not meet it half gone.
  if (daemon !== null) await gone(daemon, 5000);
  return stopped;
}

/** Waits until no process of the home is left, at most timeoutMs; returns those still there. */
async function leftovers(home: string, timeoutMs: number): Promise<TendProcess[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = tendProcessesOfHome(home);
    if (left.length === 0 || Date.now() >= deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function saveCommand(): Promise<number> {
  const { file, apps } = await withDaemon((client) => client.call('save', undefined));
  process.stdout.write(`saved ${plural(apps, 'app')} to ${file}\n`);
  return 0;
}

export async function flushCommand(targets: string[]): Promise<number> {
  const selection = await toSelection(targets);
  const { files } = await withDaemon((client) => client.call('flush', selection));
  process.stdout.write(`flushed ${plural(files.length, 'log file')}\n`);
  return 0;
}

/**
 * `tend update`: after tend itself was upgraded, the old daemon saves its state and exits; the new one
 * (started by the next call) adopts every process, so no app restarts (PM2's update restarts them all).
 */
export async function updateCommand(): Promise<number> {
  const home = paths();
  let old: { pid: number; version: string } | null = null;
  try {
    old = await withDaemon((client) => client.call('exit', undefined), { start: false });
  } catch (err) {
    if ((err as { code?: string }).code !== 'DAEMON_UNREACHABLE') throw err;
  }
  if (old) await gone(old.pid, 5000);
  const fresh = await withDaemon((client) => client.call('ping', undefined));
  const list = await withDaemon((client) => client.call('list', undefined));
  process.stdout.write(
    `${old ? `daemon ${old.pid} (tend ${old.version})` : 'no daemon was running'} → daemon ${fresh.pid} (tend ${fresh.version}) in ${home.home}; ${list.length} process${list.length === 1 ? '' : 'es'} kept running\n`,
  );
  return 0;
}

function daemonPid(): number | null {
  try {
    return Number(readFileSync(paths().pidFile, 'utf8').trim()) || null;
  } catch {
    return null;
  }
}

/** Waits until a daemon that answered `kill` or `exit` has really exited, at most timeoutMs. */
async function gone(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // A zombie waiting for its reaper has exited too.
  while (Date.now() < deadline && isRunning(pid)) await new Promise((resolve) => setTimeout(resolve, 20));
}
