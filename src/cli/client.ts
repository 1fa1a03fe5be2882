import type { Socket } from 'node:net';
import { tryConnect } from '../runtime/unix-socket.js';
import { TendError } from '../core/errors.js';
import type { TendPaths } from '../core/home.js';
import type { DaemonStart } from './daemon-start.js';
import { encodeLine, NdjsonDecoder } from '../core/ndjson.js';
import type { MethodName, Methods, ResultOf } from '../api/methods.js';
import { PROTOCOL_VERSION, type Reply, type Request } from '../api/wire.js';

/** How long a CLI waits for a daemon it started to open its socket. */
const DAEMON_START_TIMEOUT_MS = 5000;

/** A connection to the daemon; one request at a time is all the CLI needs. */
export class DaemonClient {
  private nextId = 1;
  private constructor(private readonly socket: Socket) {}

  /**
   * Connects, calling `startDaemon` first when none answers (PM2's habit: the first command brings it up). Starting
   * one is the caller's part, so that `tend ls`'s fast path, which never starts a daemon, loads no child_process.
   */
  static async connect(paths: TendPaths, startDaemon?: () => DaemonStart): Promise<DaemonClient> {
    const first = await tryConnect(paths.socket);
    if (first) return new DaemonClient(first);
    if (!startDaemon) throw new TendError('DAEMON_UNREACHABLE', `no tend daemon is running (home ${paths.home})`);
    let failure: string | null = null;
    void startDaemon().failure.then((reason) => {
      failure = reason;
    });
    const deadline = Date.now() + DAEMON_START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const socket = await tryConnect(paths.socket);
      if (socket) return reportStartWarnings(new DaemonClient(socket));
      if (failure !== null) throw new TendError('DAEMON_UNREACHABLE', `the tend daemon could not start: ${failure}`);
      await new Promise((r) => setTimeout(r, 15));
    }
    throw new TendError(
      'DAEMON_UNREACHABLE',
      `the tend daemon did not start within ${DAEMON_START_TIMEOUT_MS} ms; see ${paths.daemonLog}`,
    );
  }

  /** Sends one request; `onEvent` receives progress lines until the final answer. */
  call<M extends MethodName, P extends Methods[M]['params']>(
    method: M,
    params: P,
    onEvent?: (event: unknown) => void,
  ): Promise<ResultOf<M, P>> {
    const id = this.nextId++;
    const socket = this.socket;
    return new Promise((resolve, reject) => {
      // The daemon is trusted: its answers (a long `ls`) have no length limit, as they never had.
      const decoder = new NdjsonDecoder({ maxLineBytes: Number.POSITIVE_INFINITY });
      const onData = (chunk: Buffer): void => {
        for (const line of decoder.push(chunk)) {
          if (line.kind !== 'message') {
            finish();
            reject(
              new TendError('PROTOCOL', 'the daemon sent an unreadable answer', {
                cause: line.kind === 'invalid-json' ? line.error : undefined,
              }),
            );
            return;
          }
          const reply = line.message as Reply;
          // Id 0 answers the connection, not a request: the daemon refused what it read (a request line too long) and
          // closes. Its words are the error to show, not "the daemon closed the connection".
          if (reply.id === 0 && 'ok' in reply && !reply.ok) {
            finish();
            reject(new TendError(reply.error.code, `the daemon refused \`${method}\`: ${reply.error.message}`));
            return;
          }
          if (reply.id !== id) continue;
          if ('event' in reply) {
            onEvent?.(reply.event);
            continue;
          }
          finish();
          if (reply.ok) resolve(reply.result as ResultOf<M, P>);
          else reject(new TendError(reply.error.code, reply.error.message, { problems: reply.error.problems }));
        }
      };
      const onClose = (): void => {
        finish();
        reject(new TendError('DAEMON_UNREACHABLE', `the daemon closed the connection during \`${method}\``));
      };
      const finish = (): void => {
        socket.off('data', onData);
        socket.off('close', onClose);
      };
      socket.on('data', onData);
      socket.on('close', onClose);
      socket.write(encodeLine({ v: PROTOCOL_VERSION, id, method, params } satisfies Request));
    });
  }

  close(): void {
    this.socket.end();
    this.socket.unref();
  }

  /**
   * Closes both ways at once. A call that streams until the client goes (`subscribe`) needs it: after close()'s end
   * the daemon would still be sending, to a half-closed socket.
   */
  destroy(): void {
    this.socket.destroy();
  }
}

/** The command that started the daemon tells its user what the daemon found wrong on start (a broken state file set aside). */
async function reportStartWarnings(client: DaemonClient): Promise<DaemonClient> {
  const pong = await client.call('ping', undefined);
  for (const warning of pong.warnings ?? []) process.stderr.write(`tend: warning: ${warning}\n`);
  return client;
}
