import { describe, expect, it } from 'vitest';
import { deployHost, sshArguments } from '../../../src/deploy/ssh-arguments.js';

describe('deployHost', () => {
  it.each([
    ['web1', {}, { label: 'web1', destination: 'web1' }],
    ['web1', { user: 'deploy' }, { label: 'web1', destination: 'deploy@web1' }],
    ['web1', { user: 'deploy', port: 2222 }, { label: 'web1', destination: 'deploy@web1', port: 2222 }],
    ['ops@web1', { user: 'deploy' }, { label: 'ops@web1', destination: 'ops@web1' }],
    ['web1:2200', { port: 22 }, { label: 'web1:2200', destination: 'web1', port: 2200 }],
    ['ops@10.0.0.5:2200', {}, { label: 'ops@10.0.0.5:2200', destination: 'ops@10.0.0.5', port: 2200 }],
    ['[::1]:2200', { user: 'deploy' }, { label: '[::1]:2200', destination: 'deploy@::1', port: 2200 }],
    ['[fe80::1]', {}, { label: '[fe80::1]', destination: 'fe80::1' }],
  ])('%s with %j', (written, target, host) => {
    expect(deployHost(written, target)).toEqual(host);
  });
});

describe('sshArguments', () => {
  it('no prompts, the file options as -o, the destination after --, then sh -s for the script on stdin', () => {
    expect(
      sshArguments(
        { label: 'web1', destination: 'deploy@web1', port: 2222 },
        { key: '/home/me/.ssh/deploy', sshOptions: ['StrictHostKeyChecking=no', 'ConnectTimeout=3'] },
      ),
    ).toEqual([
      '-o',
      'BatchMode=yes',
      '-T',
      '-p',
      '2222',
      '-i',
      '/home/me/.ssh/deploy',
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'ConnectTimeout=3',
      '-o',
      'ConnectTimeout=15',
      '--',
      'deploy@web1',
      'sh -s',
    ]);
  });

  it('BatchMode comes before any option of the file, so ssh (first value wins) never prompts', () => {
    const args = sshArguments({ label: 'h', destination: 'h' }, { sshOptions: ['BatchMode=no'] });
    expect(args.indexOf('BatchMode=yes')).toBeLessThan(args.indexOf('BatchMode=no'));
    expect(args).not.toContain('-p');
    expect(args).not.toContain('-i');
  });
});
