import type { ProcessEnvView, ProcessRef, SignalOutcome, StdinOutcome } from '../api/process-verbs.js';
import { instanceEnv } from '../runtime/instance-env.js';
import { isSameProcess } from '../runtime/process-tree.js';
import { stdinFifoPath, stdinIsFifo, writeToFifo } from '../runtime/stdin-fifo.js';
import type { ManagedProcess } from './managed-process.js';
import { maskSecret } from './views.js';

/** PM2's verbs that act on running processes without the plan: reset, sendSignal, env, send. */

function refOf(p: ManagedProcess): ProcessRef {
  return { id: p.id, name: p.name, instance: p.instance, pid: p.pid };
}

/** `tend sendSignal`: the signal goes to the main pid only (PM2's `process.kill(pid, signal)`), never to a recycled pid. */
export function signalProcesses(processes: readonly ManagedProcess[], signal: NodeJS.Signals): SignalOutcome[] {
  return processes.map((p) => {
    const ref = refOf(p);
    const pid = p.pid;
    if (pid === null) return { ...ref, sent: false, error: `not running (${p.status})` };
    if (p.startTime && !isSameProcess(pid, p.startTime))
      return { ...ref, sent: false, error: 'its process has exited' };
    try {
      process.kill(pid, signal);
      return { ...ref, sent: true };
    } catch (error) {
      return {
        ...ref,
        sent: false,
        error: `kill(${pid}, ${signal}) failed (${(error as NodeJS.ErrnoException).code})`,
      };
    }
  });
}

/**
 * `tend env`: the exact environment tend starts each process with (its app's env and the per-instance variables), with
 * `tend show`'s masking of secret-looking names unless asked.
 */
export function environmentOf(
  processes: readonly ManagedProcess[],
  extraEnv: Record<string, string>,
  showSecrets: boolean,
): ProcessEnvView[] {
  return processes.map((p) => {
    const env: Record<string, string> = {};
    const masked: string[] = [];
    const full = instanceEnv(p.spec, p.instance, p.id, extraEnv);
    for (const key of Object.keys(full).sort()) {
      const value = showSecrets ? full[key]! : maskSecret(key, full[key]!);
      if (value !== full[key]) masked.push(key);
      env[key] = value;
    }
    return { ...refOf(p), env, masked };
  });
}

/**
 * `tend send`: lines to the stdin FIFO of each fork-mode instance (runtime/stdin-fifo.ts), a newline after each. With no
 * lines it only says whether they could be sent (`tend attach` asks first).
 */
export function sendToStdin(
  processes: readonly ManagedProcess[],
  home: string,
  lines: readonly string[],
): StdinOutcome[] {
  const text = lines.map((line) => `${line}\n`).join('');
  return processes.map((p): StdinOutcome => {
    const ref = refOf(p);
    if (p.spec.run.execMode === 'cluster')
      return {
        ...ref,
        ok: false,
        reason: 'cluster',
        error: 'a cluster worker has no stdin tend can write to (as in PM2, only fork-mode apps take lines)',
      };
    if (p.pid === null || (p.status !== 'online' && p.status !== 'launching'))
      return { ...ref, ok: false, reason: 'not-running', error: `not running (${p.status})` };
    const fifo = stdinFifoPath(home, p.id);
    if (!stdinIsFifo(p.pid, fifo))
      return {
        ...ref,
        ok: false,
        reason: 'no-stdin',
        error: `its stdin is not tend's: it was started before tend gave instances a stdin, or it replaced its own; restart it once (\`tend restart ${p.id}\`) and lines can be sent`,
      };
    if (text === '') return { ...ref, ok: true, bytes: 0 };
    const written = writeToFifo(fifo, text);
    return written.ok
      ? { ...ref, ok: true, bytes: written.bytes }
      : {
          ...ref,
          ok: false,
          bytes: written.bytes,
          reason: written.reason === 'full' ? 'full' : 'not-running',
          error: written.message,
        };
  });
}
