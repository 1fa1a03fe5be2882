// Preloaded into every fork-mode Node.js app tend starts (`node --require <dist>/ipc-guard.cjs app.js`), before the
// probe. Such an app has an IPC channel to the daemon, as under PM2, whose docs tell apps to call
// `process.send('ready')` unguarded. But apps are detached and outlive the daemon: once it is gone (killed, or replaced
// by `tend update`), the channel is closed, and Node turns a `process.send` without a callback on a closed channel into
// an 'error' event on `process`, which nothing handles: the app would crash. Here a send without a callback gets one
// that ignores the failure, so the message is dropped (`false` is returned, as Node does) and the app goes on. A send
// with its own callback is untouched: the app hears of the failure as it asked to.

type Send = (message: unknown, handle?: unknown, options?: unknown, callback?: unknown) => boolean;

const GUARDED = Symbol.for('tend.ipcGuard');

function ignore(): void {
  // The channel is gone: nobody is listening.
}

function guard(): void {
  const proc = process as unknown as { send?: Send & { [GUARDED]?: true } };
  const original = proc.send;
  if (original?.[GUARDED]) return;
  const send: Send & { [GUARDED]?: true } =
    typeof original === 'function'
      ? function send(this: unknown, message, handle, options, callback) {
          // Node's own argument shuffling: send(message, callback) and send(message, handle, callback).
          if (typeof handle === 'function') {
            callback = handle;
            handle = undefined;
            options = undefined;
          } else if (typeof options === 'function') {
            callback = options;
            options = undefined;
          }
          return original.call(this, message, handle, options, typeof callback === 'function' ? callback : ignore);
        }
      : // No channel at all (an app run with one only since this preload): sending is possible and goes nowhere.
        () => false;
  send[GUARDED] = true;
  proc.send = send;
}

try {
  guard();
} catch {
  // The app starts whatever happens here.
}
