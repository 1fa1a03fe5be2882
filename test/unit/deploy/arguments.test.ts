import { describe, expect, it } from 'vitest';
import { isEcosystemFile } from '../../../src/config/file-kind.js';
import { parseDeployArguments } from '../../../src/deploy/arguments.js';

const parse = (line: string) => parseDeployArguments(line.split(' '), isEcosystemFile);

describe('parseDeployArguments: PM2 forms', () => {
  it.each([
    ['ecosystem.yml production setup', { file: 'ecosystem.yml', target: 'production', action: { verb: 'setup' } }],
    [
      'ecosystem.config.js production update',
      { file: 'ecosystem.config.js', target: 'production', action: { verb: 'update' } },
    ],
    ['ecosystem.json production', { file: 'ecosystem.json', target: 'production', action: { verb: 'update' } }],
    ['production update', { target: 'production', action: { verb: 'update' } }],
    ['production', { target: 'production', action: { verb: 'update' } }],
    ['production revert', { target: 'production', action: { verb: 'revert', steps: 1 } }],
    ['production revert 3', { target: 'production', action: { verb: 'revert', steps: 3 } }],
    ['app.yml staging curr', { file: 'app.yml', target: 'staging', action: { verb: 'curr' } }],
    ['staging current', { target: 'staging', action: { verb: 'curr' } }],
    ['staging prev', { target: 'staging', action: { verb: 'prev' } }],
    ['staging previous', { target: 'staging', action: { verb: 'prev' } }],
    ['staging list', { target: 'staging', action: { verb: 'list' } }],
    ['staging ref origin/v2', { target: 'staging', action: { verb: 'update', ref: 'origin/v2' } }],
  ])('%s', (line, request) => {
    expect(parse(line)).toEqual(request);
  });

  it('exec takes the whole command as one argument', () => {
    expect(parseDeployArguments(['production', 'exec', 'npm run migrate && echo done'], isEcosystemFile)).toEqual({
      target: 'production',
      action: { verb: 'exec', command: 'npm run migrate && echo done' },
    });
  });
});

describe('parseDeployArguments: refusals', () => {
  it.each([
    [[], /name the deployment target/],
    [['ecosystem.yml'], /name the deployment target after ecosystem.yml/],
    [['production', 'deploy'], /unknown deploy command `deploy`/],
    [['production', 'revert', '0'], /1 or more; got 0/],
    [['production', 'revert', 'two'], /1 or more; got two/],
    [['production', 'revert', '1', '2'], /takes one number/],
    [['production', 'setup', 'now'], /`setup` takes no argument; got now/],
    [['production', 'exec'], /`exec` takes the command as one argument/],
    [['production', 'exec', 'ls', '-l'], /`exec` takes the command as one argument/],
    [['production', 'ref', '--upload-pack=x'], /not starting with `-`/],
  ])('%j', (args, message) => {
    expect(() => parseDeployArguments(args, isEcosystemFile)).toThrow(message);
  });
});
