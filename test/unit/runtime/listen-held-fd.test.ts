import { describe, expect, it } from 'vitest';
import type { ListenAddress } from '../../../src/config/types.js';
import { heldFdFor } from '../../../src/runtime/listen/held-fd.js';
import { fdName, listenEnv, withListenPid } from '../../../src/runtime/listen-env.js';

const held: ListenAddress[] = [
  { port: 8080 },
  { port: 9090, host: '127.0.0.1' },
  { port: 9090, host: '::1' },
  { path: '/srv/app/api.sock' },
];
const cb = () => undefined;

// What an app's own `server.listen(...)` call is given instead, in each of Node's forms.
describe('which held socket a listen() call means', () => {
  it.each([
    [[8080], 3],
    [['8080'], 3],
    [[8080, cb], 3],
    [[8080, '0.0.0.0', 511, cb], 3],
    [[{ port: 8080, host: 'localhost' }, cb], 3],
    [[9090, '::1'], 5],
    [[9090, '127.0.0.1'], 4],
    [[9090], 4],
    [[{ port: 9090, host: 'example.org' }], 4],
    [['./api.sock'], 6],
    [[{ path: '/srv/app/api.sock' }], 6],
    [[3000], undefined],
    [[0], undefined],
    [[], undefined],
    [[{ fd: 7 }], undefined],
    [['/tmp/other.sock'], undefined],
  ])('listen(%o) → fd %s', (args, fd) => {
    expect(heldFdFor(args, held, '/srv/app')).toBe(fd);
  });
});

describe("systemd's variables", () => {
  it('names each socket without a colon, in fd order', () => {
    expect(held.map(fdName)).toEqual(['8080', '127.0.0.1-9090', '..1-9090', '/srv/app/api.sock']);
    expect(listenEnv(held)).toEqual({
      LISTEN_FDS: '4',
      LISTEN_FDNAMES: '8080:127.0.0.1-9090:..1-9090:/srv/app/api.sock',
      TEND_LISTEN: JSON.stringify(held),
    });
  });

  it('LISTEN_PID is set by the shell that execs the app, to its own pid', () => {
    expect(withListenPid('/usr/bin/python3', ['app.py', '--port'])).toEqual({
      file: '/bin/sh',
      args: ['-c', 'LISTEN_PID=$$; export LISTEN_PID; exec "$0" "$@"', '/usr/bin/python3', 'app.py', '--port'],
    });
  });
});
