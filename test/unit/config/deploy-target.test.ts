import { describe, expect, it } from 'vitest';
import { checkDeploySection } from '../../../src/config/deploy-target.js';
import { deployValidator } from '../../../src/config/deploy-validator.js';
import { nowhere } from '../../../src/config/locator.js';
import { Report } from '../../../src/config/report.js';

async function check(deploy: unknown) {
  const report = new Report(nowhere);
  const targets = checkDeploySection({ deploy }, await deployValidator(), report, '/work/project');
  return { targets, problems: report.problems.map((p) => `${p.path ?? ''}: ${p.message}`) };
}

describe('checkDeploySection', () => {
  it('fills the defaults and reads PM2 shapes: one host, one ssh option, env values as strings', async () => {
    const { targets, problems } = await check({
      production: {
        host: 'web1',
        repo: 'git@example.com:me/app.git',
        path: '/srv/app',
        key: 'keys/deploy',
        ssh_options: 'StrictHostKeyChecking=no',
        env: { NODE_ENV: 'production', WORKERS: 4, FLAGS: { a: 1 } },
        'post-deploy': 'npm ci && tend apply ecosystem.yml --env production',
      },
    });
    expect(problems).toEqual([]);
    expect(targets.get('production')).toEqual({
      name: 'production',
      hosts: ['web1'],
      ref: 'origin/main',
      repo: 'git@example.com:me/app.git',
      path: '/srv/app',
      key: '/work/project/keys/deploy',
      sshOptions: ['StrictHostKeyChecking=no'],
      env: { NODE_ENV: 'production', WORKERS: '4', FLAGS: '{"a":1}' },
      keep: 5,
      hooks: { 'post-deploy': 'npm ci && tend apply ecosystem.yml --env production' },
    });
  });

  it.each([
    [{ host: 'web1', repo: 'r' }, 'deploy.t: missing `path`: an absolute folder on the host'],
    [{ host: 'web1', repo: 'r', path: 'app' }, 'deploy.t.path: expected an absolute folder on the host'],
    [{ host: '-oProxyCommand=x', repo: 'r', path: '/a' }, 'deploy.t.host: expected a host name'],
    [{ host: ['web1', 'we b2'], repo: 'r', path: '/a' }, 'deploy.t.host: expected a host name'],
    [{ host: 'web1', repo: '--upload-pack=x', path: '/a' }, 'deploy.t.repo: expected a git repository URL or path'],
    [{ host: 'web1', repo: 'r', path: '/a', ref: '-x' }, 'deploy.t.ref: expected a git ref'],
    [{ host: 'web1', repo: 'r', path: '/a', port: 70000 }, 'deploy.t.port: expected a port number from 1 to 65535'],
    [{ host: 'web1', repo: 'r', path: '/a', keep: 0 }, 'deploy.t.keep: expected a whole number of releases, 1 or more'],
    [{ host: 'web1', repo: 'r', path: '/a', 'post-deploy': ['a'] }, 'deploy.t.post-deploy: expected a shell command'],
    [
      { host: 'web1', repo: 'r', path: '/a', env: { 'BAD NAME': 1 } },
      'deploy.t.env: expected a mapping of variable names',
    ],
    [
      { host: 'web1', repo: 'r', path: '/a', postDeploy: 'x' },
      'deploy.t.postDeploy: unknown key `postDeploy` in a deployment target; did you mean `post-deploy`?',
    ],
  ])('%j: %s', async (raw, problem) => {
    const { targets, problems } = await check({ t: raw });
    expect(targets.size).toBe(0);
    expect(
      problems.some((p) => p.startsWith(problem)),
      problems.join('\n'),
    ).toBe(true);
  });

  it('a section that is not a mapping is a problem; no section is no target', async () => {
    expect((await check(['production'])).problems).toEqual([
      'deploy: expected a mapping of target names to targets; got a list (["production"])',
    ]);
    expect((await check(undefined)).targets.size).toBe(0);
  });
});
