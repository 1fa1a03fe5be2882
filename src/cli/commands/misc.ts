import { plural } from '../../core/plural.js';
import { readFileSync } from 'node:fs';
import { isRunning } from '../../runtime/process-tree.js';
import { paths, withDaemon } from '../context.js';
import { useColor } from '../output.js';
import { callWithProgress, reportResult } from '../progress.js';

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

/** `tend kill`: every app stopped, then the daemon; nothing to do when no daemon runs. */
export async function killCommand(): Promise<number> {
  try {
    const daemon = daemonPid();
    const { stopped } = await withDaemon((client) => client.call('kill', undefined), { start: false });
    // The daemon answers before it exits: the next command (`tend resurrect`) must not meet it half gone.
    if (daemon !== null) await gone(daemon, 5000);
    process.stdout.write(`stopped ${stopped} process${stopped === 1 ? '' : 'es'} and the daemon\n`);
  } catch (err) {
    if ((err as { code?: string }).code !== 'DAEMON_UNREACHABLE') throw err;
    process.stdout.write(`no daemon running in ${paths().home}\n`);
  }
  return 0;
}

export async function saveCommand(): Promise<number> {
  const { file, apps } = await withDaemon((client) => client.call('save', undefined));
  process.stdout.write(`saved ${plural(apps, 'app')} to ${file}\n`);
  return 0;
}

export async function resurrectCommand(): Promise<number> {
  const color = useColor();
  return withDaemon(async (client) => {
    const result = await callWithProgress(client, 'resurrect', undefined, color);
    const started = result.plan.actions.filter((a) => a.type === 'start').map((a) => a.app);
    process.stdout.write(
      started.length ? `resurrected ${started.join(', ')}\n` : 'nothing to resurrect: every saved app is running\n',
    );
    return reportResult(result, color);
  });
}

export async function flushCommand(targets: string[]): Promise<number> {
  const { files } = await withDaemon((client) => client.call('flush', { targets }));
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
