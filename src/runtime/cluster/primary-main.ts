// The cluster primary of one app: owns the listening sockets (through Node's cluster module, round-robin)
// and the workers, and outlives the daemon, so a daemon killed with SIGKILL does not interrupt the service.
// It is a server on a Unix socket in the home; the daemon (or the next daemon) connects and drives it.
import cluster, { type Worker } from 'node:cluster';
import { closeSync, mkdirSync, openSync, unlinkSync, chmodSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { encodeLine, NdjsonDecoder } from '../../core/ndjson.js';
import { handOverToWriter } from '../../logs/spawn-writer.js';
import type { PrimaryEvent, PrimaryOp, WorkerLaunch, WorkerNotice } from './protocol.js';

/** With no worker and nothing asked of it for this long, the primary exits (the app was stopped or deleted). */
const IDLE_EXIT_MS = 3000;

const socketPath = process.env.TEND_PRIMARY_SOCKET;
const workerEntry = process.env.TEND_WORKER_ENTRY;
if (!socketPath || !workerEntry) {
  console.error('tend cluster primary: TEND_PRIMARY_SOCKET and TEND_WORKER_ENTRY are required');
  process.exit(2);
}

interface Tracked {
  worker: Worker;
  launch: WorkerLaunch;
  drains: Array<(open: number) => void>;
}

const workers = new Map<number, Tracked>();
const daemons = new Set<Socket>();
let idleTimer: NodeJS.Timeout | null = null;

function emit(event: PrimaryEvent): void {
  const line = encodeLine(event);
  for (const socket of daemons) if (socket.writable) socket.write(line);
}

function touch(): void {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  if (workers.size === 0) idleTimer = setTimeout(shutdown, IDLE_EXIT_MS);
}

function shutdown(): void {
  try {
    unlinkSync(socketPath!);
  } catch {
    // Already gone.
  }
  process.exit(0);
}

function openLog(file: string | null): number | 'ignore' {
  if (file === null) return 'ignore';
  mkdirSync(dirname(file), { recursive: true });
  return openSync(file, 'a', 0o640);
}

// The worker's stdout and stderr: its log files, or pipes for a log writer.
function outputs(launch: WorkerLaunch, fds: number[]): [number | 'ignore' | 'pipe', number | 'ignore' | 'pipe'] {
  if (launch.writer) return [launch.out === null ? 'ignore' : 'pipe', launch.err === null ? 'ignore' : 'pipe'];
  const out = openLog(launch.out);
  const err = launch.err === launch.out && typeof out === 'number' ? out : openLog(launch.err);
  for (const fd of [out, err]) if (typeof fd === 'number' && !fds.includes(fd)) fds.push(fd);
  return [out, err];
}

function fork(req: number, launch: WorkerLaunch): void {
  const fds: number[] = [];
  try {
    const [out, err] = outputs(launch, fds);
    cluster.setupPrimary({
      exec: workerEntry!,
      args: [],
      execArgv: launch.execArgv,
      cwd: launch.cwd,
      stdio: ['ignore', out, err, 'ipc'],
      // Always given: setupPrimary merges into the previous fork's settings, and an old uid must not stick.
      uid: launch.uid,
      gid: launch.gid,
    });
    const worker = cluster.fork({
      ...launch.env,
      TEND_CLUSTER_SCRIPT: launch.script,
      TEND_CLUSTER_ARGS: JSON.stringify(launch.args),
    });
    const pid = worker.process.pid;
    if (pid === undefined) {
      emit({ event: 'spawn-failed', req, message: `cannot start ${launch.script}` });
      return;
    }
    // In the same tick as the fork, as for fork apps: a byte the primary read would be missing from the log.
    if (launch.writer) {
      try {
        handOverToWriter(worker.process, launch.writer.config, {
          entry: launch.writer.entry,
          home: launch.writer.config.home,
        });
      } catch (error) {
        worker.process.kill('SIGKILL');
        throw error;
      }
    }
    const tracked: Tracked = { worker, launch, drains: [] };
    workers.set(pid, tracked);
    // A send to a worker that is exiting fails with EPIPE; that is part of stopping, not a reason to die.
    worker.process.on('error', (error) => console.error(`worker ${pid}: ${error.message}`));
    worker.on('error', (error) => console.error(`worker ${pid}: ${error.message}`));
    worker.on('message', (message: unknown) => {
      const notice = message as WorkerNotice;
      if (notice && typeof notice === 'object' && notice.tend === 'drained') {
        for (const done of tracked.drains.splice(0)) done(notice.open);
        return;
      }
      emit({ event: 'message', pid, message });
    });
    emit({ event: 'spawned', req, pid });
    touch();
  } catch (error) {
    emit({ event: 'spawn-failed', req, message: error instanceof Error ? error.message : String(error) });
  } finally {
    // The worker holds its own copies of the log fds.
    for (const fd of fds) closeSync(fd);
  }
}

cluster.on('listening', (worker, address) => {
  const pid = worker.process.pid;
  if (pid !== undefined) emit({ event: 'listening', pid, address: `${address.address ?? ''}:${address.port ?? ''}` });
});

cluster.on('exit', (worker, code, signal) => {
  const pid = worker.process.pid;
  if (pid === undefined) return;
  const tracked = workers.get(pid);
  workers.delete(pid);
  for (const done of tracked?.drains.splice(0) ?? []) done(0);
  emit({ event: 'exit', pid, code: code ?? null, signal: signal ?? null });
  touch();
});

function drain(req: number, pid: number, timeoutMs: number): void {
  const tracked = workers.get(pid);
  if (!tracked) {
    emit({ event: 'drained', req, pid, open: 0 });
    return;
  }
  let finished = false;
  const done = (open: number): void => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    emit({ event: 'drained', req, pid, open });
  };
  // The wrapper answers when its connections are done; a wrapper that cannot (a hung app) gets the timeout.
  const timer = setTimeout(() => done(-1), timeoutMs + 500);
  tracked.drains.push(done);
  if (tracked.worker.isConnected()) tracked.worker.send({ tend: 'drain', timeoutMs });
  else done(-1);
}

function handle(op: PrimaryOp): void {
  switch (op.op) {
    case 'fork':
      fork(op.req, op.fork);
      break;
    case 'drain':
      drain(op.req, op.pid, op.timeoutMs);
      break;
    case 'send': {
      const tracked = workers.get(op.pid);
      if (tracked?.worker.isConnected()) tracked.worker.send(op.message as never);
      break;
    }
    case 'exit':
      // Every worker was stopped by the daemon first; one that is somehow left must not outlive `tend kill`.
      for (const { worker } of workers.values()) worker.process.kill('SIGKILL');
      shutdown();
      break;
    case 'list':
      emit({
        event: 'list',
        req: op.req,
        workers: [...workers.entries()].map(([pid, t]) => ({ pid, id: t.launch.id, instance: t.launch.instance })),
      });
      break;
  }
}

function serve(): void {
  const server = createServer((socket) => {
    daemons.add(socket);
    // No length limit, as before: only the daemon connects (0600 socket), and a message it forwards can be large.
    const decoder = new NdjsonDecoder({ maxLineBytes: Number.POSITIVE_INFINITY });
    socket.on('data', (chunk: Buffer) => {
      for (const line of decoder.push(chunk)) {
        if (line.kind !== 'message') {
          console.error('tend cluster primary: bad request', line.kind === 'invalid-json' ? line.error : line);
          continue;
        }
        try {
          handle(line.message as PrimaryOp);
        } catch (error) {
          console.error('tend cluster primary: bad request', error);
        }
      }
    });
    socket.on('close', () => daemons.delete(socket));
    socket.on('error', () => daemons.delete(socket));
  });
  mkdirSync(dirname(socketPath!), { recursive: true, mode: 0o700 });
  const oldMask = process.umask(0o177);
  server.listen(socketPath!, () => {
    process.umask(oldMask);
    chmodSync(socketPath!, 0o600);
    touch();
  });
}

// A second primary for the same app would fight over the socket: leave if one already answers.
const probe = connect(socketPath);
probe.once('connect', () => {
  probe.destroy();
  process.exit(0);
});
probe.once('error', () => {
  try {
    unlinkSync(socketPath);
  } catch {
    // No stale socket.
  }
  serve();
});

// Every app's service hangs on this process: a bug in one callback is logged, never fatal.
process.on('uncaughtException', (error) => console.error('tend cluster primary: uncaught exception:', error));

// The daemon's death must not end the primary; only its own signals do, and then the workers go first.
process.on('SIGHUP', () => undefined);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    for (const { worker } of workers.values()) worker.process.kill(signal);
    setTimeout(shutdown, 2000).unref();
    if (workers.size === 0) shutdown();
  });
}
