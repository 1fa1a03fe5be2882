import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { resolvePath } from '../../../src/config/script.js';

describe('resolvePath keeps its last answer and never gives it for another pair', () => {
  // In this order: repeats (the answer kept), a pair differing in one part, `~`, a relative base (not kept).
  const pairs: Array<[string, string, string]> = [
    ['/srv/app', 'server.js', '/srv/app/server.js'],
    ['/srv/app', 'server.js', '/srv/app/server.js'],
    ['/srv/api', 'server.js', '/srv/api/server.js'],
    ['/srv/api', './lib/../server.js', '/srv/api/server.js'],
    ['/srv/api', '/opt/bin/tool', '/opt/bin/tool'],
    ['/srv/api', '~/bin/tool', join(homedir(), 'bin/tool')],
    ['/srv/api', '~/bin/tool', join(homedir(), 'bin/tool')],
    ['/srv/app', 'server.js', '/srv/app/server.js'],
    ['relative', 'server.js', resolve('relative/server.js')],
    ['relative', 'server.js', resolve('relative/server.js')],
    ['/srv/app', 'server.js', '/srv/app/server.js'],
  ];
  test.each(pairs.map((pair, i) => [i, ...pair]))('#%i: %s + %s → %s', (_i, base, path, expected) => {
    expect(resolvePath(base, path)).toBe(expected);
  });
});
