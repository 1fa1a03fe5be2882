import { join } from 'node:path';
import type { AppSpec } from '../config/types.js';
import { probeArgs, runsOnNode } from './preload-args.js';

/** The bundled IPC guard (src/probe/ipc-guard.ts), beside the daemon in dist/. */
export const IPC_GUARD_FILE = 'ipc-guard.cjs';

/** The bundled listen preload (src/runtime/listen/preload.ts): an app's listen() on a socket tend holds takes it. */
export const LISTEN_PRELOAD_FILE = 'listen-fds.cjs';

/** What a Node.js app is started with besides its own flags: the preloads, and whether it gets an IPC channel. */
export interface Preload {
  /** Node flags in front of the app's own. */
  nodeArgs: string[];
  /** Open an IPC channel to a fork-mode app, so `process.send` exists in it as under PM2. */
  channel: boolean;
}

/** Fork-mode Node.js apps run as the daemon's user, the ones with the IPC channel and its guard. */
function getsChannel(spec: AppSpec): boolean {
  const otherUser = spec.run.uid !== undefined && spec.run.uid !== process.getuid?.();
  return spec.run.execMode === 'fork' && runsOnNode(spec.run.interpreter) && !otherUser;
}

/** Whether the app preloads the listen preload, which answers the daemon's drain (src/daemon/fork-drain.ts). */
export function loadsListenPreload(spec: AppSpec): boolean {
  return spec.run.listen !== undefined && getsChannel(spec);
}

/**
 * Every fork-mode Node.js app gets an IPC channel (PM2's apps call `process.send('ready')` without checking) and the
 * guard that keeps a send on that channel from crashing the app once the daemon is gone; then the probe, unless it
 * is off. An app run as another user gets neither the guard nor the channel: like the probe, tend's files may not be
 * readable by that user. Cluster workers have their channel to their primary, which outlives the daemon.
 */
export function preloadFor(spec: AppSpec, distDir: string): Preload {
  const probe = probeArgs(spec, distDir);
  if (!getsChannel(spec)) return { nodeArgs: probe, channel: false };
  const listen = loadsListenPreload(spec) ? ['--require', join(distDir, LISTEN_PRELOAD_FILE)] : [];
  return { nodeArgs: ['--require', join(distDir, IPC_GUARD_FILE), ...listen, ...probe], channel: true };
}
