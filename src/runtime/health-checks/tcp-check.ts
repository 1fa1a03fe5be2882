import { connect } from 'node:net';
import { type CheckOutcome, errorWords, shortDuration } from './outcome.js';

/** Passes when 127.0.0.1:port accepts a connection within `timeoutMs`; the connection is closed at once. */
export function tcpCheck(port: number, timeoutMs: number): Promise<CheckOutcome> {
  const what = `connect to port ${port}`;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: CheckOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const socket = connect({ host: '127.0.0.1', port });
    const timer = setTimeout(
      () => finish({ ok: false, message: `${what} timed out after ${shortDuration(timeoutMs)}` }),
      timeoutMs,
    );
    socket.once('connect', () => finish({ ok: true, message: `${what}: accepted` }));
    socket.once('error', (err) => finish({ ok: false, message: `${what}: ${errorWords(err)}` }));
  });
}
