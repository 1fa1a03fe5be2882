import { logsInTrouble } from '../log-health.js';
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tryConnect } from '../unix-socket.js';
import { dirname, join } from 'node:path';
import type { AppSpec } from '../../config/types.js';
import { TendError } from '../../core/errors.js';
import { encodeLine, NdjsonDecoder, type NdjsonLine } from '../../core/ndjson.js';
import { instanceEnv, runAsOptions } from '../instance-env.js';
import { logPathsFor } from '../log-paths.js';
import { readStartTime } from '../process-tree.js';
import { needsWriter, writerConfigFor } from '../../logs/writer-config.js';
import type { InstanceChannel, SpawnRequest, SpawnedProcess } from '../spawn-instance.js';
import { primarySocketPath, type PrimaryEvent, type PrimaryOp } from './protocol.js';

/** How long the daemon waits for a primary it started to open its socket. */
const PRIMARY_START_TIMEOUT_MS = 5000;

type WorkerExit = { code: number | null; signal: NodeJS.Signals | null };

/**
 * One worker's events, from the line that says it was forked on. The events after that line often come in the same
 * chunk (a busy daemon reads late), before the spawn() that asked for it has resumed: they wait in `backlog` until a
 * listener is there, and `listening` is turned into `ready` only then, when the app's wait_ready is known.
 */
interface WorkerWatch {
  exit: (result: WorkerExit) => void;
  exited: Promise<WorkerExit>;
  listeners: Array<(message: unknown) => void>;
  backlog: Array<{ listening: true } | { message: unknown }>;
  waitReady: boolean;
}

/** The primary's answer to a request; a fork's answer carries the watch its events already go to. */
type Answer =
  | Exclude<PrimaryEvent, { event: 'spawned' }>
  | { event: 'spawned'; req: number; pid: number; watch: WorkerWatch };

function newWorkerWatch(): WorkerWatch {
  let exit: (result: WorkerExit) => void = () => undefined;
  const exited = new Promise<WorkerExit>((resolve) => {
    exit = resolve;
  });
  return { exit, exited, listeners: [], backlog: [], waitReady: false };
}

/** Without wait_ready a worker is ready once it listens; with it, only its own `ready` message counts. */
function deliver(watch: WorkerWatch, item: { listening: true } | { message: unknown }): void {
  if (watch.listeners.length === 0) {
    watch.backlog.push(item);
    return;
  }
  if ('listening' in item) {
    if (!watch.waitReady) for (const l of watch.listeners) l('ready');
  } else for (const l of watch.listeners) l(item.message);
}

/**
 * The daemon's side of one app's cluster primary: starts the primary when none answers, forks workers
 * through it, and turns its events into what a ManagedProcess expects from a spawned process.
 */
export class PrimaryLink {
  private socket: Socket | null = null;
  private connecting: Promise<Socket> | null = null;
  private nextReq = 1;
  private readonly pending = new Map<number, (answer: Answer) => void>();
  private readonly watches = new Map<number, WorkerWatch>();

  constructor(
    private readonly options: {
      home: string;
      app: string;
      primaryEntry: string;
      workerEntry: string;
      logFile: string;
      writerEntry?: string;
    },
  ) {}

  /** dist/log-writer.js, beside the primary's entry unless given. */
  private get writerEntry(): string {
    return this.options.writerEntry ?? join(dirname(this.options.primaryEntry), 'log-writer.js');
  }

  get socketPath(): string {
    return primarySocketPath(this.options.home, this.options.app);
  }

  /** Forks one worker; resolves like spawnInstance so the process machine need not know about clusters. */
  async spawn(req: SpawnRequest): Promise<SpawnedProcess> {
    const { spec, instance, id } = req;
    const logs = logPathsFor(spec, instance);
    const event = await this.request({
      op: 'fork',
      req: 0,
      fork: {
        id,
        instance,
        script: spec.run.script,
        args: spec.run.args,
        execArgv: [...(req.nodeArgs ?? []), ...spec.run.interpreterArgs],
        cwd: spec.run.cwd,
        env: instanceEnv(spec, instance, id, req.extraEnv),
        out: logs.out,
        err: logs.err,
        ...runAsOptions(spec),
        ...(needsWriter(spec.logs) || (await logsInTrouble(logs))
          ? { writer: { entry: this.writerEntry, config: writerConfigFor(spec, instance, logs, this.options.home) } }
          : {}),
      },
    });
    if (event.event === 'spawn-failed')
      throw new TendError('SPAWN_FAILED', `cannot start ${spec.name}: ${event.message}`);
    if (event.event !== 'spawned')
      throw new TendError('SPAWN_FAILED', `cannot start ${spec.name}: unexpected answer from its cluster primary`);
    const pid = event.pid;
    // Made by dispatch() when the line came, so nothing that followed it was lost.
    const watch = event.watch;
    watch.waitReady = spec.policy.waitReady;
    const channel: InstanceChannel = {
      send: (message) => {
        this.write({ op: 'send', pid, message });
        return this.socket !== null;
      },
      onMessage: (listener) => {
        watch.listeners.push(listener);
        for (const item of watch.backlog.splice(0)) deliver(watch, item);
      },
      disconnect: () => undefined,
    };
    return { pid, startTime: readStartTime(pid) ?? 0, exited: watch.exited, channel };
  }

  /** Asks the worker to stop taking connections and finish what it has; resolves with the connections still open. */
  async drain(pid: number, timeoutMs: number): Promise<number> {
    try {
      const event = await this.request({ op: 'drain', req: 0, pid, timeoutMs });
      return event.event === 'drained' ? event.open : -1;
    } catch {
      return -1;
    }
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  private async request(op: PrimaryOp & { req: number }): Promise<Answer> {
    const socket = await this.ensure();
    const req = this.nextReq++;
    return new Promise((resolve) => {
      this.pending.set(req, resolve);
      socket.write(encodeLine({ ...op, req }));
    });
  }

  private write(op: PrimaryOp): void {
    this.socket?.write(encodeLine(op));
  }

  private ensure(): Promise<Socket> {
    if (this.socket) return Promise.resolve(this.socket);
    if (!this.connecting) {
      this.connecting = this.connectOrStart().finally(() => {
        this.connecting = null;
      });
    }
    return this.connecting;
  }

  private async connectOrStart(): Promise<Socket> {
    let socket = await tryConnect(this.socketPath);
    if (!socket) {
      this.startPrimary();
      const deadline = Date.now() + PRIMARY_START_TIMEOUT_MS;
      while (!socket && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
        socket = await tryConnect(this.socketPath);
      }
      if (!socket)
        throw new TendError(
          'SPAWN_FAILED',
          `the cluster primary of ${this.options.app} did not start; see ${this.options.logFile}`,
        );
    }
    this.attach(socket);
    return socket;
  }

  private attach(socket: Socket): void {
    this.socket = socket;
    // No length limit, as before: the primary is tend's own, and a worker's message it forwards can be large.
    const decoder = new NdjsonDecoder({ maxLineBytes: Number.POSITIVE_INFINITY });
    socket.on('data', (chunk: Buffer) => {
      for (const line of decoder.push(chunk)) {
        // A line that is not an event (a bug, or another program on the socket) is logged, never thrown.
        if (line.kind === 'message' && isEvent(line.message)) this.dispatch(line.message);
        else console.error(`tend daemon: cluster primary of ${this.options.app}: ${describeIgnoredLine(line)}`);
      }
    });
    socket.on('close', () => {
      if (this.socket === socket) this.socket = null;
      // A dead primary took its workers with it (they exit when their IPC channel closes).
      for (const [pid, watch] of this.watches) {
        this.watches.delete(pid);
        watch.exit({ code: null, signal: 'SIGKILL' });
      }
    });
    socket.on('error', () => undefined);
  }

  private dispatch(event: PrimaryEvent): void {
    if ('req' in event && event.event !== 'list') {
      const resolve = this.pending.get(event.req);
      this.pending.delete(event.req);
      if (!resolve) return;
      if (event.event === 'spawned') {
        const watch = newWorkerWatch();
        this.watches.set(event.pid, watch);
        resolve({ ...event, watch });
      } else resolve(event);
      return;
    }
    switch (event.event) {
      case 'exit': {
        const watch = this.watches.get(event.pid);
        this.watches.delete(event.pid);
        watch?.exit({ code: event.code, signal: event.signal as NodeJS.Signals | null });
        break;
      }
      case 'listening': {
        const watch = this.watches.get(event.pid);
        if (watch) deliver(watch, { listening: true });
        break;
      }
      case 'message': {
        const watch = this.watches.get(event.pid);
        if (watch) deliver(watch, { message: event.message });
        break;
      }
      default:
        break;
    }
  }

  private startPrimary(): void {
    mkdirSync(dirname(this.options.logFile), { recursive: true });
    mkdirSync(dirname(this.socketPath), { recursive: true, mode: 0o700 });
    const log = openSync(this.options.logFile, 'a', 0o640);
    const child = spawn(process.execPath, [this.options.primaryEntry], {
      detached: true,
      stdio: ['ignore', log, log],
      // Workers get their full env with each fork; the primary's own stays minimal so nothing leaks into them.
      env: {
        TEND_HOME: this.options.home,
        TEND_APP_NAME: this.options.app,
        TEND_PRIMARY_SOCKET: this.socketPath,
        TEND_WORKER_ENTRY: this.options.workerEntry,
      },
    });
    child.unref();
    closeSync(log);
  }
}

function isEvent(value: unknown): value is PrimaryEvent {
  return typeof value === 'object' && value !== null && typeof (value as { event?: unknown }).event === 'string';
}

function describeIgnoredLine(line: NdjsonLine): string {
  if (line.kind === 'invalid-json') return `ignored a line that is not JSON (${line.error.message})`;
  if (line.kind === 'too-long') return `ignored a line of ${line.bytes} bytes`;
  return 'ignored a line that is not an event';
}

/** Whether a spec runs under a cluster primary. */
export function isCluster(spec: AppSpec): boolean {
  return spec.run.execMode === 'cluster';
}
