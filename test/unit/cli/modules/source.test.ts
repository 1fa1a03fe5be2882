import { describe, expect, test } from 'vitest';
import { classifySource } from '../../../../src/cli/modules/source.js';

describe('what tend install was given', () => {
  test.each([
    ['pm2-logrotate', { kind: 'registry', spec: 'pm2-logrotate' }],
    ['pinger@1.2.0', { kind: 'registry', spec: 'pinger@1.2.0' }],
    ['@acme/pinger', { kind: 'registry', spec: '@acme/pinger' }],
    ['https://example.com/pinger-1.0.0.tgz', { kind: 'registry', spec: 'https://example.com/pinger-1.0.0.tgz' }],
    ['git+https://github.com/acme/pinger.git', { kind: 'git', spec: 'git+https://github.com/acme/pinger.git' }],
    ['https://github.com/acme/pinger.git', { kind: 'git', spec: 'https://github.com/acme/pinger.git' }],
    ['git@github.com:acme/pinger.git', { kind: 'git', spec: 'git@github.com:acme/pinger.git' }],
    ['github:acme/pinger#v1', { kind: 'git', spec: 'github:acme/pinger#v1' }],
    ['acme/pinger', { kind: 'git', spec: 'acme/pinger' }],
    ['./pinger', { kind: 'path', spec: '/work/pinger', tarball: false }],
    ['../pinger', { kind: 'path', spec: '/pinger', tarball: false }],
    ['/srv/pinger', { kind: 'path', spec: '/srv/pinger', tarball: false }],
    ['~/pinger', { kind: 'path', spec: '/home/ann/pinger', tarball: false }],
    ['file:pinger', { kind: 'path', spec: '/work/pinger', tarball: false }],
    ['pinger-1.0.0.tgz', { kind: 'path', spec: '/work/pinger-1.0.0.tgz', tarball: true }],
    ['dist/pinger.tar.gz', { kind: 'path', spec: '/work/dist/pinger.tar.gz', tarball: true }],
  ])('%s', (spec, expected) => {
    expect(classifySource(spec, '/work', '/home/ann')).toEqual(expected);
  });
});
