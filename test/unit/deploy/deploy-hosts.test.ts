import { describe, expect, it } from 'vitest';
import type { DeployTarget } from '../../../src/config/index.js';
import { deployToHosts, formatSummary, judge, outcomeOf, type RunRemote } from '../../../src/deploy/deploy-hosts.js';
import { OUTCOME_MARK } from '../../../src/deploy/remote-script.js';

const target: DeployTarget = {
  name: 'production',
  hosts: ['web1', 'web22:2222'],
  user: 'deploy',
  ref: 'origin/main',
  repo: 'r',
  path: '/srv/app',
  sshOptions: [],
  env: {},
  keep: 5,
  hooks: {},
};

/** A fake ssh: each destination's lines and exit code, and the order the hosts were started in. */
function fakeSsh(replies: Record<string, { lines: Array<['stdout' | 'stderr', string]>; code: number }>) {
  const started: string[] = [];
  const run: RunRemote = async (args, script, onLine) => {
    const destination = args[args.length - 2]!;
    started.push(destination);
    expect(script).toContain('set -u');
    await Promise.resolve();
    const reply = replies[destination]!;
    for (const [stream, line] of reply.lines) onLine(stream, line);
    return { code: reply.code };
  };
  return { run, started };
}

describe('deployToHosts', () => {
  it('starts every host before any ends, prefixes each line with its host, and reads each outcome', async () => {
    const ssh = fakeSsh({
      'deploy@web1': {
        lines: [
          ['stdout', 'release 1'],
          ['stdout', `${OUTCOME_MARK} ok current 1`],
        ],
        code: 0,
      },
      'deploy@web22': {
        lines: [
          ['stderr', 'npm ERR!'],
          ['stderr', `${OUTCOME_MARK} failed post-deploy failed (exit 1); current is back on 0`],
        ],
        code: 1,
      },
    });
    const printed: string[] = [];
    const outcomes = await deployToHosts(target, { verb: 'update' }, ssh.run, (line, stream) =>
      printed.push(`${stream}: ${line}`),
    );
    expect(ssh.started).toEqual(['deploy@web1', 'deploy@web22']);
    expect(printed).toEqual([
      'stdout: web1       | release 1',
      'stderr: web22:2222 | npm ERR!',
      'stderr: web22:2222 | error: post-deploy failed (exit 1); current is back on 0',
    ]);
    expect(outcomes).toEqual([
      { label: 'web1', ok: true, message: 'current 1' },
      { label: 'web22:2222', ok: false, message: 'post-deploy failed (exit 1); current is back on 0' },
    ]);
    expect(formatSummary(outcomes)).toEqual([
      'web1        ok      current 1',
      'web22:2222  FAILED  post-deploy failed (exit 1); current is back on 0',
    ]);
  });
});

describe('outcomeOf', () => {
  it.each([
    [`${OUTCOME_MARK} ok current 20261206-abc`, { ok: true, message: 'current 20261206-abc' }],
    [`${OUTCOME_MARK} failed pre-deploy failed (exit 2)`, { ok: false, message: 'pre-deploy failed (exit 2)' }],
    [`${OUTCOME_MARK} ok`, { ok: true, message: '' }],
    [`${OUTCOME_MARK} maybe so`, undefined],
    [`echo ${OUTCOME_MARK} ok`, undefined],
    ['plain output', undefined],
  ])('%j', (line, outcome) => {
    expect(outcomeOf(line)).toEqual(outcome);
  });
});

describe('judge: a host succeeded only when ssh exited 0 and the script said ok', () => {
  const ok = { ok: true, message: 'current 1' };
  const failed = { ok: false, message: 'post-deploy failed (exit 1)' };
  it.each([
    [{ code: 0 }, ok, '', ok],
    [{ code: 1 }, failed, '', failed],
    [
      { code: 255 },
      undefined,
      'Connection refused',
      { ok: false, message: 'ssh failed (exit 255): Connection refused' },
    ],
    [{ code: 0 }, undefined, '', { ok: false, message: 'the remote script ended with code 0 before it finished' }],
    [
      { code: 2 },
      undefined,
      'sh: 1: syntax error',
      { ok: false, message: 'the remote script ended with code 2 before it finished: sh: 1: syntax error' },
    ],
    [{ code: null }, undefined, '', { ok: false, message: 'ssh was killed' }],
    [
      { code: null, error: 'ssh is not installed (or not on PATH)' },
      undefined,
      '',
      { ok: false, message: 'ssh is not installed (or not on PATH)' },
    ],
    [{ code: 255 }, ok, 'broken pipe', { ok: false, message: 'ssh failed (exit 255): broken pipe' }],
  ])('%j %j %j', (exit, said, lastError, outcome) => {
    expect(judge(exit, said, lastError)).toEqual(outcome);
  });
});
