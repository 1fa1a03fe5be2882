import { spawn } from 'node:child_process';
import type { StdioOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, open, statfs } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { AppSpec } from '../config/types.js';
import { TendError } from '../core/errors.js';
import { handOverToWriter, type WriterLaunch } from '../logs/spawn-writer.js';
import { needsWriter, writerConfigFor } from '../logs/writer-config.js';
import { instanceEnv, runAsOptions } from './instance-env.js';
import { listenEnv, withListenPid } from './listen-env.js';
import { defaults } from '../core/defaults.js';
import { freeBytesOf, isDevice } from './log-health.js';
import { logPathsFor } from './log-paths.js';
import { readStartTime } from './process-tree.js';
import { openStdinFifo } from './stdin-fifo.js';

export { logPathsFor } from './log-paths.js';
export type { LogPaths } from './log-paths.js';

export interface SpawnRequest {
  spec: AppSpec;
  /** Index among the app's instances, 0-based. */
  instance: number;
  /** tend's process id (PM2's pm_id). */
  id: number;
  /** Variables the daemon adds for every app (TEND_HOME), under the per-instance ones. */
  extraEnv?: Record<string, string>;
  /** Interpreter flags tend adds in front of the app's own (the IPC guard and the in-app probe); node apps only. */
  nodeArgs?: string[];
  /**
   * Open an IPC channel to the app even without wait_ready or shutdown_with_message: every fork-mode Node.js app has
   * one, so `process.send` exists in it as under PM2 (src/probe/preload-for.ts).
   */
  channel?: boolean;
  /** The FIFO the instance's stdin is opened from (runtime/stdin-fifo.ts); without it, stdin is ignored. */
  stdinFifo?: string;
  /** The daemon's held sockets of `listen` (runtime/held-sockets.ts), given to the instance as fds 3, 4, …. */
  listenFds?: number[];
}

/**
 * The message channel to a child: every fork-mode Node.js app has one (`SpawnRequest.channel`), and any app with
 * wait_ready or shutdown_with_message.
 */
export interface InstanceChannel {
  send(message: unknown): boolean;
  onMessage(listener: (message: unknown) => void): void;
  disconnect(): void;
}

export interface SpawnedProcess {
  pid: number;
  /** From /proc/<pid>/stat field 22, to tell this process from a later one given the same pid; 0 if it already exited. */
  startTime: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  channel: InstanceChannel | null;
  /** The app writes its log files itself, no log writer between: a full disk makes its own writes fail. */
  logsDirect?: boolean;
}

/** The program and arguments, never joined into a shell line: spaces, quotes, `$()` and `;` stay inert. */
export function commandOf(spec: AppSpec, nodeArgs: readonly string[] = []): { file: string; args: string[] } {
  const { script, args, interpreter, interpreterArgs } = spec.run;
  if (interpreter === null) return { file: script, args: [...args] };
  return { file: interpreter, args: [...nodeArgs, ...interpreterArgs, script, ...args] };
}

type LogFds = { out: number | 'ignore'; err: number | 'ignore' };

/**
 * Opens an instance's log files for a direct launch: files opened (O_APPEND: every write lands at the end, even after
 * `tend flush` truncates the file) and, with `checkRoom`, their disks measured, all at once: one round trip through
 * libuv's thread pool. A missing folder is made and the round taken again. Making the folders first cost every launch
 * a second round trip, and a 50-app start queued 50 mkdirs of the same folder ahead of the first app's open.
 * Throws when a file cannot be opened; null when `checkRoom` finds a disk nearly full.
 */
async function openLogs(
  logs: { out: string | null; err: string | null },
  opened: Map<string, FileHandle>,
  checkRoom: boolean,
  made = false,
): Promise<LogFds | null> {
  const files = [...new Set([logs.out, logs.err].filter((f): f is string => f !== null))];
  const folders = [...new Set(files.map((f) => path.dirname(f)))];
  const disks = checkRoom ? folders.filter((dir) => !isDevice(`${dir}/`)) : [];
  const [handles, room] = await Promise.all([
    Promise.allSettled(files.map((file) => opened.get(file) ?? open(file, 'a', 0o640))),
    Promise.all(disks.map((dir) => statfs(dir).then(freeBytesOf, () => Infinity))),
  ]);
  for (const [i, result] of handles.entries()) if (result.status === 'fulfilled') opened.set(files[i]!, result.value);
  const failed = handles.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed && !made && (failed.reason as NodeJS.ErrnoException).code === 'ENOENT') {
    await Promise.all(folders.map((dir) => mkdir(dir, { recursive: true })));
    return openLogs(logs, opened, checkRoom, true);
  }
  if (failed) throw failed.reason;
  if (room.some((free) => free < defaults.logDiskMinFreeBytes)) return null;
  const fd = (file: string | null): number | 'ignore' => (file === null ? 'ignore' : opened.get(file)!.fd);
  return { out: fd(logs.out), err: fd(logs.err) };
}

function describeFailure(spec: AppSpec, file: string, error: NodeJS.ErrnoException): string {
  const head = `cannot start ${spec.name}:`;
  switch (error.code) {
    case 'ENOENT':
      // Node reports a missing cwd as the program being missing; tell them apart for the user.
      if (!existsSync(spec.run.cwd)) return `${head} working directory ${spec.run.cwd} does not exist (ENOENT)`;
      return `${head} ${file} not found (ENOENT)`;
    case 'EACCES':
      return `${head} ${file} is not executable${spec.run.uid !== undefined ? ` by uid ${spec.run.uid}` : ''} (EACCES)`;
    case 'EPERM':
      if (spec.run.uid !== undefined || spec.run.gid !== undefined)
        return `${head} only root can run an app as another user or group (EPERM)`;
      return `${head} ${file}: ${error.message} (EPERM)`;
    default:
      return `${head} ${file}: ${error.message}${error.code ? ` (${error.code})` : ''}`;
  }
}

function startWriterFor(
  child: ReturnType<typeof spawn>,
  config: ReturnType<typeof writerConfigFor>,
  writer: WriterLaunch,
): void {
  if (child.pid === undefined) {
    // spawn() failed (reported by its 'error' event); there is no output to carry.
    child.stdout?.destroy();
    child.stderr?.destroy();
    return;
  }
  try {
    handOverToWriter(child, config, writer);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

function channelOf(child: ReturnType<typeof spawn>): InstanceChannel {
  return {
    // A send to a child that is exiting fails with EPIPE; that is expected during stop, so it is not an 'error' event.
    send: (message) => child.connected && child.send(message as never, () => undefined),
    onMessage: (listener) => void child.on('message', listener),
    disconnect: () => {
      if (child.connected) child.disconnect();
    },
  };
}

/**
 * Starts one instance in its own session, so it outlives the daemon. Its output goes straight to its log
 * files, or, when the app wants time prefixes, JSON lines or rotation (and `writer` says where the writer is),
 * through a detached log writer that also outlives the daemon.
 */
export async function spawnInstance(
  req: SpawnRequest,
  writer?: WriterLaunch,
  /** Runs the fork itself (runtime/spawn-pacer.ts), once everything else a launch waits on is there. */
  pace?: <T>(launch: () => T) => Promise<T>,
): Promise<SpawnedProcess> {
  const { spec, instance, id } = req;
  const listen = spec.run.listen !== undefined && req.listenFds !== undefined ? spec.run.listen : null;
  const command = commandOf(spec, req.nodeArgs);
  const { file, args } = listen ? withListenPid(command.file, command.args) : command;
  const logs = logPathsFor(spec, instance);
  const wantsChannel = spec.policy.waitReady || spec.policy.shutdownWithMessage || req.channel === true;
  const opened = new Map<string, FileHandle>();
  // Beside the log files, not before them: one launch waits on both at once. It never rejects.
  const stdinOpening = req.stdinFifo ? openStdinFifo(req.stdinFifo) : null;
  try {
    // A log file that cannot be written, or a full disk, would make the app's own writes fail (a Node app
    // exits on an EPIPE/ENOSPC stdout): such an app runs behind a writer, which holds or drops lines instead.
    // Without a writer to fall back on, the files are opened whatever the disk says, and an error fails the launch.
    let direct: LogFds | null = null;
    if (!writer || !needsWriter(spec.logs))
      direct = writer ? await openLogs(logs, opened, true).catch(() => null) : await openLogs(logs, opened, false);
    const through = direct === null ? writer : undefined;
    const stdin = await stdinOpening;
    const input = stdin ? stdin.fd : 'ignore';
    const stdio: StdioOptions = direct
      ? [input, direct.out, direct.err]
      : [input, logs.out === null ? 'ignore' : 'pipe', logs.err === null ? 'ignore' : 'pipe'];
    // The held sockets go right after stdio (fd 3, 4, …, as systemd passes them); Node puts the IPC channel after them
    // and says where in NODE_CHANNEL_FD.
    if (listen) stdio.push(...req.listenFds!);
    if (wantsChannel) stdio.push('ipc');
    const env = instanceEnv(spec, instance, id, req.extraEnv);
    // The fork and what must follow it in the same tick, as one function: a pacer may run it in a later turn.
    const launch = (): Promise<SpawnedProcess> => {
      const child = spawn(file, args, {
        cwd: spec.run.cwd,
        env: listen ? { ...env, ...listenEnv(listen) } : env,
        detached: true,
        stdio,
        shell: false,
        ...runAsOptions(spec),
      });
      // In the same tick as spawn(): no byte of the app's output may be read by the daemon.
      if (through) startWriterFor(child, writerConfigFor(spec, instance, logs, through.home), through);
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
        child.once('exit', (code, signal) => done({ code, signal }));
      });
      // Listeners go on in the same tick too: 'error' and 'spawn' fire on the next one.
      return new Promise<SpawnedProcess>((resolve, reject) => {
        child.once('error', (error: NodeJS.ErrnoException) => {
          reject(new TendError('SPAWN_FAILED', describeFailure(spec, command.file, error), { cause: error }));
        });
        child.once('spawn', () => {
          const pid = child.pid as number;
          resolve({
            pid,
            startTime: readStartTime(pid) ?? 0,
            exited,
            channel: wantsChannel ? channelOf(child) : null,
            logsDirect: direct !== null && (logs.out !== null || logs.err !== null),
          });
        });
      });
    };
    return await (pace ? pace(launch) : launch());
  } catch (error) {
    if (error instanceof TendError) throw error;
    // spawn() throws EPERM at once (not as an 'error' event) when a non-root daemon asks for another uid.
    if ((error as NodeJS.ErrnoException).code === 'EPERM')
      throw new TendError('SPAWN_FAILED', describeFailure(spec, command.file, error as NodeJS.ErrnoException), {
        cause: error,
      });
    // mkdir/open of a log file, or spawn() rejecting its options synchronously.
    throw new TendError('SPAWN_FAILED', `cannot start ${spec.name}: ${(error as Error).message}`, { cause: error });
  } finally {
    // The child holds its own copies of the fds once spawn() returns; the daemon keeps none open.
    const stdin = await stdinOpening;
    await Promise.all([...opened.values(), ...(stdin ? [stdin] : [])].map((handle) => handle.close()));
  }
}
