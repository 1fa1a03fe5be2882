import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployTarget } from '../../../src/config/index.js';
import type { DeployAction } from '../../../src/deploy/action.js';
import { OUTCOME_MARK, remoteScript } from '../../../src/deploy/remote-script.js';

const target = (extra: Partial<DeployTarget> = {}): DeployTarget => ({
  name: 'production',
  hosts: ['web1'],
  ref: 'origin/main',
  repo: 'git@example.com:me/app.git',
  path: '/srv/app',
  sshOptions: [],
  env: {},
  keep: 5,
  hooks: {},
  ...extra,
});

const actions: DeployAction[] = [
  { verb: 'setup' },
  { verb: 'update' },
  { verb: 'update', ref: 'v2' },
  { verb: 'revert', steps: 2 },
  { verb: 'curr' },
  { verb: 'prev' },
  { verb: 'list' },
  { verb: 'exec', command: 'npm run migrate' },
];

describe('remoteScript: what it says', () => {
  it.each(actions)('%j is a valid POSIX sh script (sh -n)', (action) => {
    const script = remoteScript(target({ hooks: { 'post-deploy': 'tend apply ecosystem.yml' } }), action);
    const checked = spawnSync('sh', ['-n'], { input: script, encoding: 'utf8' });
    expect(checked.stderr).toBe('');
    expect(checked.status).toBe(0);
  });

  it.each([
    [{ path: '/srv/app' }, { verb: 'setup' }, "DEPLOY_PATH='/srv/app'"],
    [{ path: '~/app' }, { verb: 'setup' }, `DEPLOY_PATH="$HOME"/'app'`],
    [{ repo: "x'; rm -rf /; '" }, { verb: 'setup' }, `REPO='x'\\''; rm -rf /; '\\'''`],
    [{ ref: 'origin/main' }, { verb: 'update', ref: 'v2' }, "REF='v2'"],
    [{ keep: 3 }, { verb: 'update' }, 'KEEP=3'],
    [{ hooks: { 'pre-deploy': 'npm ci && npm test' } }, { verb: 'update' }, "HOOK_PRE_DEPLOY='npm ci && npm test'"],
    [{ hooks: {} }, { verb: 'update' }, "HOOK_POST_DEPLOY=''"],
    [{ env: { NODE_ENV: 'production' } }, { verb: 'update' }, "export 'NODE_ENV=production'"],
    [{ env: { 'A;id': '$(id)' } }, { verb: 'update' }, "export 'A;id=$(id)'"],
    [{}, { verb: 'revert', steps: 2 }, 'STEPS=2'],
    [{}, { verb: 'exec', command: "echo 'hi'" }, `EXEC_COMMAND='echo '\\''hi'\\'''`],
  ] as Array<[Partial<DeployTarget>, DeployAction, string]>)('%j %j sets %s', (extra, action, line) => {
    expect(remoteScript(target(extra), action).split('\n')).toContain(line);
  });

  it('hooks run as sh -c "$HOOK" with /dev/null as stdin, never reading the rest of the script', () => {
    const script = remoteScript(target(), { verb: 'update' });
    expect(script).toContain('( cd "$2" && sh -c "$3" ) </dev/null');
    expect(script).toContain('run_hook post-deploy "$release" "$HOOK_POST_DEPLOY"');
  });
});

/** The script run here by a real sh (as ssh's `sh -s` would on a host), with HOME in a temp folder. */
describe('remoteScript: run against a real git repository', () => {
  let scratch: string;
  let work: string;
  let repo: string;
  let home: string;
  const app = () => join(home, 'app');

  const git = (...args: string[]): void => {
    const result = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
      cwd: work,
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(result.stderr);
  };
  const commit = (text: string): void => {
    writeFileSync(join(work, 'app.txt'), text);
    git('add', '-A');
    git('commit', '-q', '-m', text);
    git('push', '-q', 'origin', 'HEAD:main');
  };
  const run = (action: DeployAction, extra: Partial<DeployTarget> = {}) => {
    const script = remoteScript(target({ repo, path: '~/app', keep: 2, ...extra }), action);
    const result = spawnSync('sh', ['-s'], { input: script, encoding: 'utf8', env: { ...process.env, HOME: home } });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const current = () => basename(readlinkSync(join(app(), 'current')));
  const releases = () => readdirSync(join(app(), 'releases')).sort();

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'tend-remote-script-'));
    repo = join(scratch, 'repo.git');
    work = join(scratch, 'work');
    home = join(scratch, 'home');
    spawnSync('git', ['init', '-q', '--bare', '--initial-branch=main', repo]);
    spawnSync('git', ['clone', '-q', repo, work]);
    commit('one');
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('update before setup says to run setup', () => {
    const result = run({ verb: 'update' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${OUTCOME_MARK} failed ${app()}/source is not a git clone: run setup first`);
  });

  it('setup clones into PATH/source and makes releases/ and shared/; a second setup changes nothing', () => {
    expect(run({ verb: 'setup' }).stdout).toContain(`${OUTCOME_MARK} ok set up in ${app()}`);
    expect(existsSync(join(app(), 'source/.git'))).toBe(true);
    expect(existsSync(join(app(), 'shared'))).toBe(true);
    expect(run({ verb: 'setup' }).stdout).toContain('is already a clone');
  });

  it('update makes a release of the ref with its commit, and points current at it', () => {
    const result = run({ verb: 'update' });
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(app(), 'current/app.txt'), 'utf8')).toBe('one');
    expect(readFileSync(join(app(), 'current/.tend-release'), 'utf8')).toMatch(/^[0-9a-f]{7} one\n$/);
    expect(current()).toMatch(/^\d{14}-[0-9a-f]{7}$/);
  });

  it('a failing pre-deploy removes the new release and leaves current where it was', () => {
    const before = current();
    commit('two');
    const result = run({ verb: 'update' }, { hooks: { 'pre-deploy': 'test -f missing-file' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`failed pre-deploy failed (exit 1); current stays on ${before}`);
    expect(current()).toBe(before);
    expect(releases()).toEqual([before]);
  });

  it('a failing post-deploy switches current back; the hook ran in the new release with SHARED set', () => {
    const before = current();
    const result = run({ verb: 'update' }, { hooks: { 'post-deploy': 'cat app.txt > "$SHARED/seen"; exit 7' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`failed post-deploy failed (exit 7); current is back on ${before}`);
    expect(current()).toBe(before);
    expect(readFileSync(join(app(), 'shared/seen'), 'utf8')).toBe('two');
  });

  it('keep: releases beyond it are removed, the current one never', () => {
    commit('three');
    const result = run({ verb: 'update' });
    expect(result.code, result.stderr).toBe(0);
    expect(releases()).toHaveLength(2);
    expect(releases().at(-1)).toBe(current());
    expect(readFileSync(join(app(), 'current/app.txt'), 'utf8')).toBe('three');
  });

  it('curr names the current release and prev the one before it, each with its commit', () => {
    const [older, newest] = releases();
    const curr = run({ verb: 'curr' });
    expect(curr.stdout).toContain(`${newest}  ${newest!.slice(15)} three`);
    expect(curr.stdout).toContain(`${OUTCOME_MARK} ok current ${newest}`);
    const prev = run({ verb: 'prev' });
    expect(prev.code, prev.stderr).toBe(0);
    expect(prev.stdout).toContain(`${older}  ${older!.slice(15)} two`);
    expect(prev.stdout).toContain(`${OUTCOME_MARK} ok previous ${older}`);
  });

  it('revert N goes N releases back; too far says so and changes nothing', () => {
    const [older, newest] = releases();
    expect(run({ verb: 'revert', steps: 2 }).stderr).toContain(`there are not 2 release(s) before ${newest}`);
    expect(current()).toBe(newest);
    const result = run({ verb: 'revert', steps: 1 }, { hooks: { 'post-deploy': 'cat app.txt' } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('two');
    expect(current()).toBe(older);
  });

  it('list marks the current release; curr and prev name one each', () => {
    const [older, newest] = releases();
    const list = run({ verb: 'list' }).stdout.split('\n');
    expect(list).toContain(`* ${older}  ${older!.slice(15)} two`);
    expect(list).toContain(`  ${newest}  ${newest!.slice(15)} three`);
    expect(run({ verb: 'curr' }).stdout).toContain(`${OUTCOME_MARK} ok current ${older}`);
    expect(run({ verb: 'prev' }).stderr).toContain(`no release before ${older}`);
  });

  it('exec runs in current and fails with the command', () => {
    expect(run({ verb: 'exec', command: 'cat app.txt' }).stdout).toContain('two');
    const failed = run({ verb: 'exec', command: 'exit 4' });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('the command exited with code 4');
  });

  it('update follows the repo the file names now, not the one setup cloned', () => {
    const other = join(scratch, 'other.git');
    spawnSync('git', ['clone', '-q', '--bare', repo, other]);
    const elsewhere = join(scratch, 'elsewhere');
    spawnSync('git', ['clone', '-q', other, elsewhere]);
    writeFileSync(join(elsewhere, 'app.txt'), 'moved');
    for (const args of [
      ['add', '-A'],
      ['commit', '-q', '-m', 'moved'],
      ['push', '-q', 'origin', 'HEAD:main'],
    ])
      spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: elsewhere });
    const result = run({ verb: 'update' }, { repo: other });
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(app(), 'current/app.txt'), 'utf8')).toBe('moved');
  });

  it('env reaches the hooks as given, with nothing in it run as code', () => {
    const result = run(
      { verb: 'exec', command: 'printf "%s|" "$GREETING" "$ODD"' },
      { env: { GREETING: "it's $(echo no)", ODD: '`echo no`' } },
    );
    expect(result.stdout).toContain("it's $(echo no)|`echo no`|");
  });
});
