import { describe, expect, it } from 'vitest';
import { detectPlatform } from '../../../../src/cli/startup/detect.js';

const machine = (platform: NodeJS.Platform, files: string[]) => ({
  platform,
  exists: (path: string) => files.includes(path),
  path: '/usr/sbin:/usr/bin',
});

describe('which init system a machine runs', () => {
  it.each([
    ['systemd booted the machine', machine('linux', ['/run/systemd/system']), 'systemd'],
    ['macOS', machine('darwin', []), 'launchd'],
    ['OpenRC', machine('linux', ['/sbin/openrc-run']), 'openrc'],
    ['systemd installed, not booted (a container)', machine('linux', ['/usr/bin/systemctl']), 'systemd'],
    ['none of them', machine('linux', []), null],
  ])('%s', (_what, facts, expected) => {
    expect(detectPlatform(facts)).toBe(expected);
  });
});
