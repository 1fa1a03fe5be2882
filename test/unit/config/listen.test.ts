import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadDesiredState } from '../../../src/config/index.js';
import { parseListenEntry } from '../../../src/config/listen.js';
import { appOf, baseOptions, desiredOf, lines, tendErrorOf } from './helpers.js';

describe('one entry of listen', () => {
  test.each([
    [8080, { port: 8080 }],
    ['8080', { port: 8080 }],
    [' 3000 ', { port: 3000 }],
    ['127.0.0.1:8080', { port: 8080, host: '127.0.0.1' }],
    ['localhost:80', { port: 80, host: 'localhost' }],
    ['[::1]:8080', { port: 8080, host: '::1' }],
    ['*:8080', { port: 8080 }],
    ['./run/api.sock', { path: '/srv/app/run/api.sock' }],
    ['/run/api.sock', { path: '/run/api.sock' }],
    ['unix:api.sock', { path: '/srv/app/api.sock' }],
  ])('%o is %o', (value, address) => {
    expect(parseListenEntry(value, '/srv/app')).toEqual({ address });
  });

  test.each([
    [0, 'expected a port from 1 to 65535; got 0'],
    [65536, 'expected a port from 1 to 65535; got 65536'],
    [8.5, 'expected a port from 1 to 65535; got 8.5'],
    [
      'host:',
      'expected a port (8080), "host:port" ("127.0.0.1:8080", "[::1]:8080") or a unix socket path ("./api.sock"); got "host:"',
    ],
    [
      '::1:80',
      'expected a port (8080), "host:port" ("127.0.0.1:8080", "[::1]:8080") or a unix socket path ("./api.sock"); got "::1:80"',
    ],
    [`/${'x'.repeat(120)}`, `the unix socket path /${'x'.repeat(120)} is longer than 107 bytes, the kernel's limit`],
  ])('%o is refused: %s', (value, problem) => {
    expect(parseListenEntry(value, '/srv/app')).toEqual({ problem });
  });
});

describe('listen in a file', () => {
  test('one entry or a list becomes run.listen, in order; without it there is none', async () => {
    expect((await appOf({ script: 'app.js', listen: 8080 })).run.listen).toEqual([{ port: 8080 }]);
    expect((await appOf({ script: 'app.js', listen: ['127.0.0.1:80', 'api.sock/'] })).run.listen).toEqual([
      { port: 80, host: '127.0.0.1' },
      { path: '/srv/app/api.sock' },
    ]);
    expect((await appOf({ script: 'app.js' })).run).not.toHaveProperty('listen');
  });

  test('each problem names file:line:column and the entry', async () => {
    const file = join('test/fixtures/ecosystems/errors', 'bad-listen.yml');
    const error = await tendErrorOf(() => loadDesiredState(file, baseOptions));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(lines(error.problems)).toEqual([
      '4:13 apps[0].listen: expected a port (8080), "host:port" ("127.0.0.1:8080", "[::1]:8080") or a unix socket path ("./api.sock"); got "lots"',
      '7:20 apps[1].listen[1]: expected a port from 1 to 65535; got 70000',
      '10:20 apps[2].listen[1]: "*:8080" names a socket already in this list',
      '14:5 apps[3].listen: `listen` is for fork-mode apps; a cluster app shares its port through its primary already (remove `listen`, or set exec_mode: fork)',
      '17:13 apps[4].listen: expected a port, "host:port", a unix socket path, or a list of them; got a mapping ({"port":8080})',
    ]);
  });
});

describe('listen and exec mode', () => {
  test('a Node app with instances and listen runs in fork mode, with no cluster-mode warning', async () => {
    const { apps, warnings } = await desiredOf([{ script: 'app.js', instances: 2, listen: 8080 }]);
    expect(apps[0]!.run.execMode).toBe('fork');
    expect(warnings).toEqual([]);
  });
});
