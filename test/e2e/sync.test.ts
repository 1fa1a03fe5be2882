import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, TendHarness } from './harness.js';

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

function git(cwd: string, args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
}

const eco = (version: string) =>
  `apps:\n  - name: web\n    script: ${fixture('forever.js')}\n    env: { VERSION: "${version}" }\n`;

describe('tend sync: a pull agent', () => {
  it('applies each new commit within its interval; a broken commit is refused and reported, the apps untouched', async () => {
    const bare = join(tend.work, 'repo.git');
    const clone = join(tend.work, 'clone');
    mkdirSync(bare);
    git(bare, ['init', '-q', '--bare', '-b', 'main']);
    git(tend.work, ['clone', '-q', bare, clone]);
    const push = (text: string, message: string) => {
      tend.write('clone/deploy/eco.yml', text);
      git(clone, ['add', '.']);
      git(clone, ['commit', '-qm', message]);
      git(clone, ['push', '-q', 'origin', 'HEAD:main']);
      return git(clone, ['rev-parse', 'HEAD']);
    };
    const first = push(eco('1'), 'first');

    const started = await tend.ok(['sync', bare, '--path', 'deploy/eco.yml', '--interval', '1s']);
    expect(started.stdout).toMatch(/sync-repo follows .*repo\.git \(main\) every 1s/);
    await tend.waitFor((l) => l.some((p) => p.name === 'web' && p.status === 'online'), 15_000, 'web applied');
    const agent = (await tend.list()).find((p) => p.name === 'sync-repo');
    expect(agent?.status).toBe('online');
    const version = async () => (await tend.ok(['env', 'web'])).stdout.match(/^VERSION[=:]\s*"?(\w+)"?$/m)?.[1];
    expect(await version()).toBe('1');
    expect((await tend.ok(['show', 'web'])).stdout).toContain(`owner commit                     ${first.slice(0, 12)}`);

    const second = push(eco('2'), 'second');
    const deadline = Date.now() + 15_000;
    while ((await version()) !== '2' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await version()).toBe('2');
    let status = (await tend.ok(['sync', 'status'])).stdout;
    expect(status).toMatch(
      new RegExp(`sync-repo .*deploy/eco\\.yml\\s+${second.slice(0, 12)}\\s+${second.slice(0, 12)}\\s+applied`),
    );

    const webBefore = (await tend.list()).find((p) => p.name === 'web')!;
    const broken = push(`${eco('3')}  - nme: typo\n`, 'broken');
    const until2 = Date.now() + 15_000;
    while (!status.includes(`${broken.slice(0, 12)}  apply-failed`) && Date.now() < until2) {
      await new Promise((r) => setTimeout(r, 200));
      status = (await tend.ok(['sync', 'status'])).stdout;
    }
    expect(status).toMatch(new RegExp(`${broken.slice(0, 12)}\\s+${broken.slice(0, 12)}\\s+apply-failed`));
    expect(status).toMatch(/sync-repo: .*deploy\/eco\.yml: 2 problems/);
    expect(status).toMatch(/eco\.yml:5:5 apps\[1\]\.nme: unknown key `nme`/);
    const webAfter = (await tend.list()).find((p) => p.name === 'web')!;
    expect([webAfter.pid, webAfter.restarts]).toEqual([webBefore.pid, webBefore.restarts]);
    expect(await version()).toBe('2');
    const logs = (await tend.ok(['logs', 'sync-repo', '--lines', '20', '--nostream'])).stdout;
    expect(logs).toMatch(/not applied: .*2 problems/);
  }, 60_000);

  it('a bad --path, --interval or a missing --path is refused before anything starts', async () => {
    for (const args of [
      ['sync', '/nowhere.git'],
      ['sync', '/nowhere.git', '--path', '../eco.yml'],
      ['sync', '/nowhere.git', '--path', 'eco.yml', '--interval', '10ms'],
    ]) {
      const result = await tend.run(args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr).toMatch(
        /^tend: (tend sync needs --path|--path is a file inside the repo|--interval: a duration of 1s or more)/,
      );
    }
    expect(await tend.list()).toEqual([]);
  });

  it('a repo that cannot be fetched leaves the apps alone and says so in status', async () => {
    await tend.ok(['start', fixture('forever.js'), '--name', 'keep']);
    await tend.ok(['sync', join(tend.work, 'missing.git'), '--path', 'eco.yml', '--interval', '1s']);
    let status = '';
    const deadline = Date.now() + 15_000;
    while (!status.includes('fetch-failed') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      status = (await tend.ok(['sync', 'status'])).stdout;
    }
    expect(status).toMatch(/sync-missing .*fetch-failed/);
    expect(status).toMatch(/sync-missing: .*(does not exist|not appear to be a git repository)/);
    expect((await tend.list()).map((p) => p.name).sort()).toEqual(['keep', 'sync-missing']);
  }, 30_000);
});
