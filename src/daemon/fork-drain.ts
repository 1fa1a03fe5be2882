import type { InstanceChannel } from '../runtime/spawn-instance.js';

/** The app's answer to a drain: tend's own message, not one for the apps' bus. */
export function isDrainedNotice(message: unknown): boolean {
  return (message as { tend?: unknown } | null)?.tend === 'drained';
}

/**
 * Drains a fork-mode Node app on held sockets (`listen`) over its IPC channel, as a cluster primary drains a worker: its
 * preload (src/runtime/listen/preload.ts) stops taking connections and asks each client to close after its answer.
 * Resolves once the app says it is drained, or after `timeoutMs` (an app without the preload never answers).
 */
export function drainOverChannel(channel: InstanceChannel, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    channel.onMessage((message) => {
      if (!isDrainedNotice(message)) return;
      clearTimeout(timer);
      resolve();
    });
    if (!channel.send({ tend: 'drain', timeoutMs })) {
      clearTimeout(timer);
      resolve();
    }
  });
}
