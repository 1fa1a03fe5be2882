import { describe, expect, test } from 'vitest';
import { parseRuntimeArgs } from '../../../src/container/args.js';

describe('tend-runtime command line', () => {
  test.each([
    [['eco.yml'], { file: 'eco.yml', format: 'prefixed', autoExit: true }],
    [['--raw', 'eco.yml'], { file: 'eco.yml', format: 'raw', autoExit: true }],
    [['eco.yml', '--json'], { file: 'eco.yml', format: 'json', autoExit: true }],
    [['--no-auto-exit', 'eco.yml'], { file: 'eco.yml', format: 'prefixed', autoExit: false }],
    [
      ['--env', 'production', 'eco.yml'],
      { file: 'eco.yml', format: 'prefixed', autoExit: true, envName: 'production' },
    ],
    [['--env=staging', 'eco.yml'], { file: 'eco.yml', format: 'prefixed', autoExit: true, envName: 'staging' }],
    [
      ['--only', 'web,worker', 'eco.yml'],
      { file: 'eco.yml', format: 'prefixed', autoExit: true, only: ['web', 'worker'] },
    ],
    [
      ['--only=web worker', 'eco.yml'],
      { file: 'eco.yml', format: 'prefixed', autoExit: true, only: ['web', 'worker'] },
    ],
  ])('%j', (argv, args) => {
    expect(parseRuntimeArgs(argv)).toEqual({ kind: 'run', args });
  });

  test.each([
    [['--help'], 'help'],
    [['-h', 'eco.yml'], 'help'],
    [['--version'], 'version'],
    [['-v'], 'version'],
  ])('%j asks for %s', (argv, kind) => {
    expect(parseRuntimeArgs(argv).kind).toBe(kind);
  });

  test.each([
    [[], 'missing the ecosystem file'],
    [['--verbose', 'eco.yml'], 'unknown option --verbose'],
    [['--env'], '--env needs a value'],
    [['--only', '--raw', 'eco.yml'], '--only needs a value'],
    [['a.yml', 'b.yml'], 'one ecosystem file only; got a.yml and b.yml'],
  ])('%j is a usage error naming what is wrong', (argv, message) => {
    expect(() => parseRuntimeArgs(argv)).toThrow(message);
  });
});
