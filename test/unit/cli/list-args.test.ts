import { describe, expect, it } from 'vitest';
import { plainListOptions, plainPm2ListOptions } from '../../../src/cli/fast/list-args.js';

describe('which command lines the `ls` fast path answers', () => {
  const answered: [string[], { json: boolean; sort: string | undefined; pattern?: string }][] = [
    [['ls'], { json: false, sort: undefined }],
    [['list'], { json: false, sort: undefined }],
    [['l'], { json: false, sort: undefined }],
    [['status'], { json: false, sort: undefined }],
    [['ps'], { json: false, sort: undefined }],
    [['ls', '--json'], { json: true, sort: undefined }],
    [['ls', '--sort', 'name'], { json: false, sort: 'name' }],
    [['ls', '--sort', 'cpu:desc', '--json'], { json: true, sort: 'cpu:desc' }],
    [['ls', '--json', '--sort', 'memory'], { json: true, sort: 'memory' }],
    // Passed on as given: the sort key is checked where the list is printed, with the same message on both paths.
    [['ls', '--sort', 'bogus'], { json: false, sort: 'bogus' }],
    // One pattern (a name, glob or /regex/) is answered too: `tend ls api-*` is as common as `tend ls`.
    [['ls', 'api-*'], { json: false, sort: undefined, pattern: 'api-*' }],
    [['ls', '--json', '/^w/', '--sort', 'cpu'], { json: true, sort: 'cpu', pattern: '/^w/' }],
  ];
  it.each(answered)('%j', (argv, options) => {
    expect(plainListOptions(argv)).toEqual(options);
  });

  // Everything else goes to commander, which knows every option, prints help and reports mistakes.
  const parsed: string[][] = [
    [],
    ['start', 'app.js'],
    ['ls', '--help'],
    ['ls', '--no-color'],
    ['ls', '--verbose'],
    ['ls', '--sort'],
    ['ls', '--sort', '--json'],
    ['ls', 'one', 'two'],
    ['--version'],
    ['lsx'],
    // jlist prints PM2's shape, not `ls --json`: its own fast path below.
    ['jlist'],
  ];
  it.each(parsed)('%j goes through the full parser', (...argv) => {
    expect(plainListOptions(argv)).toBeNull();
  });
});

describe('which command lines the `jlist`/`prettylist` fast path answers', () => {
  it.each([
    [['jlist'], { pretty: false, showSecrets: false }],
    [['prettylist'], { pretty: true, showSecrets: false }],
    [['jlist', '--show-secrets'], { pretty: false, showSecrets: true }],
  ])('%j', (argv, options) => {
    expect(plainPm2ListOptions(argv)).toEqual(options);
  });

  it.each([[['ls']], [['jlist', '--json']], [['prettylist', '--help']], [['jlist', 'extra']]])(
    '%j goes elsewhere',
    (argv) => {
      expect(plainPm2ListOptions(argv)).toBeNull();
    },
  );
});
