import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, type CliResult, freePort, processesOfHome, TendHarness } from './harness.js';
import { canRunSshd, makeKey, startSshd, type TestSshd } from './sshd.js';

// `tend deploy` against two real sshds on 127.0.0.1 (two "hosts": each session gets its own HOME, TEND_HOME and
// APP_PORT through sshd's SetEnv), a local bare git repository as `repo`, and a post-deploy that runs the built
// tend's `apply` on the host. The steps build on each other, in order.
describe.skipIf(!canRunSshd())('tend deploy over ssh and git', () => {
  let tend: TendHarness;
  let scratch: string;
  let repo: string;
  let work: string;
  let file: string;
  const hosts: Array<{ sshd: TestSshd; home: string; tendHome: string; appPort: number; label: string }> = [];

  const git = (...args: string[]): string => {
    const result = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
      cwd: work,
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
    return result.stdout.trim();
  };

  /** Commits the app at `version` (with `ecosystem` as its file) and pushes it to the repo's main. */
  const release = (version: number, ecosystem = ECOSYSTEM): void => {
    writeFileSync(join(work, 'version.json'), JSON.stringify({ version }));
    writeFileSync(join(work, 'ecosystem.yml'), ecosystem);
    git('add', '-A');
    git('commit', '-q', '-m', `version ${version}`);
    git('push', '-q', 'origin', 'HEAD:main');
  };

  const deploy = (...args: string[]): Promise<CliResult> => tend.run(['deploy', ...args], { timeoutMs: 60_000 });

  const answer = async (appPort: number): Promise<string> => {
    const response = await fetch(`http://127.0.0.1:${appPort}/`).catch(() => undefined);
    return response ? (await response.text()).trim() : 'no answer';
  };
  /**
   * What each host's app answers, once all answer `expected` or 10 s have passed. The post-deploy's apply returns when
   * the new instance is online; a fork app with no readiness signal may take a moment more to listen on a busy machine.
   */
  const answers = async (expected: string): Promise<string[]> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const got = await Promise.all(hosts.map((host) => answer(host.appPort)));
      if (got.every((text) => text === expected) || Date.now() > deadline) return got;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const current = (host: (typeof hosts)[number]): string => basename(readlinkSync(join(host.home, 'app/current')));

  beforeAll(async () => {
    tend = new TendHarness();
    scratch = mkdtempSync(join(tmpdir(), 'tend-deploy-'));
    const hostKey = makeKey(scratch, 'host_key');
    const clientKey = makeKey(scratch, 'client_key');
    repo = join(scratch, 'repo.git');
    work = join(scratch, 'work');
    spawnSync('git', ['init', '-q', '--bare', '--initial-branch=main', repo]);
    spawnSync('git', ['clone', '-q', repo, work]);
    writeFileSync(join(work, 'server.js'), SERVER);
    for (const name of ['a', 'b']) {
      const home = join(scratch, `host-${name}`);
      const tendHome = join(scratch, `tend-${name}`);
      const appPort = await freePort();
      const sshd = await startSshd(join(scratch, `sshd-${name}`), hostKey, clientKey, {
        HOME: home,
        TEND_HOME: tendHome,
        APP_PORT: String(appPort),
      });
      hosts.push({ sshd, home, tendHome, appPort, label: `127.0.0.1:${sshd.port}` });
    }
    const closedPort = await freePort();
    const target = (hostList: string[], extra = ''): string =>
      [
        '    user: root',
        `    host: [${hostList.join(', ')}]`,
        `    repo: ${repo}`,
        '    path: ~/app',
        `    key: ${clientKey}`,
        '    ssh_options: [StrictHostKeyChecking=no, UserKnownHostsFile=/dev/null, LogLevel=ERROR]',
        '    keep: 3',
        `    post-deploy: "'${process.execPath}' '${CLI}' apply ecosystem.yml"`,
        extra,
      ].join('\n');
    file = tend.write(
      'ecosystem.yml',
      [
        'deploy:',
        '  production:',
        target(hosts.map((host) => host.label)),
        '  partial:',
        target([hosts[0]!.label, `127.0.0.1:${closedPort}`]),
        '  checked:',
        target([hosts[0]!.label], '    pre-deploy-local: echo checking here; exit 5'),
      ].join('\n'),
    );
    release(1);
  }, 60_000);

  afterAll(async () => {
    for (const host of hosts) {
      spawnSync(process.execPath, [CLI, 'kill'], {
        env: { ...process.env, TEND_HOME: host.tendHome },
        timeout: 15_000,
      });
      for (const pid of processesOfHome(host.tendHome)) process.kill(pid, 'SIGKILL');
      await host.sshd.stop();
    }
    await tend?.teardown();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }, 60_000);

  it('setup clones the repository on both hosts at once, each line prefixed with its host', async () => {
    const result = await deploy(file, 'production', 'setup');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    for (const host of hosts) {
      expect(existsSync(join(host.home, 'app/source/.git'))).toBe(true);
      expect(existsSync(join(host.home, 'app/shared'))).toBe(true);
      expect(result.stdout).toMatch(new RegExp(`^${host.label} \\| cloning `, 'm'));
      expect(result.stdout).toMatch(new RegExp(`^  ${host.label}  ok {6}set up in ${host.home}/app$`, 'm'));
    }
  });

  it('update makes a release, points current at it and the post-deploy starts the app', async () => {
    const result = await deploy(file, 'production', 'update');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await answers('version 1')).toEqual(['version 1', 'version 1']);
    for (const host of hosts) expect(current(host)).toMatch(/^\d{14}-[0-9a-f]{7}$/);
  });

  it('update to a new commit: the app answers with the new version (`tend deploy FILE TARGET` alone updates)', async () => {
    release(2);
    const result = await deploy(file, 'production');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await answers('version 2')).toEqual(['version 2', 'version 2']);
    const list = await deploy('production', 'list'); // the file found as PM2 finds it
    expect(list.code, list.stdout + list.stderr).toBe(0);
    for (const host of hosts) {
      const lines = list.stdout.split('\n').filter((line) => line.startsWith(`${host.label} | `));
      expect(lines).toHaveLength(2);
      expect(lines[1]).toMatch(/\| \* \d{14}-[0-9a-f]{7} {2}[0-9a-f]{7} version 2$/);
    }
  });

  it('revert 1 switches back to the previous release and runs post-deploy: the old version answers', async () => {
    const before = hosts.map(current);
    const result = await deploy(file, 'production', 'revert', '1');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await answers('version 1')).toEqual(['version 1', 'version 1']);
    hosts.forEach((host, i) => {
      expect(current(host)).not.toBe(before[i]);
      expect(current(host)).toMatch(/^\d{14}-/);
    });
    const curr = await deploy(file, 'production', 'curr');
    expect(curr.stdout).toMatch(/version 1$/m);
  });

  it('a failing post-deploy leaves current on the previous release, which keeps running; the host and hook are named', async () => {
    const before = hosts.map(current);
    release(3, 'project: shop\napps:\n  - name: web\n    script: server.js\n    instancez: 2\n');
    const result = await deploy(file, 'production', 'update');
    expect(result.code).toBe(1);
    expect(await answers('version 1')).toEqual(['version 1', 'version 1']);
    expect(hosts.map(current)).toEqual(before);
    // Each host names its own previous release: the hosts run in parallel, and their release names may be a second apart.
    for (const [i, host] of hosts.entries())
      expect(result.stdout).toMatch(
        new RegExp(`^  ${host.label}  FAILED  post-deploy failed \\(exit 1\\); current is back on ${before[i]}`, 'm'),
      );
    expect(result.stderr).toContain('instancez');
  });

  it('releases beyond keep are removed, never the current one', async () => {
    release(4);
    const result = await deploy(file, 'production', 'update');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await answers('version 4')).toEqual(['version 4', 'version 4']);
    for (const host of hosts) {
      const releases = readdirSync(join(host.home, 'app/releases')).sort();
      expect(releases).toHaveLength(3);
      expect(releases.at(-1)).toBe(current(host));
    }
  });

  it('exec runs a command in current on every host', async () => {
    const result = await deploy(file, 'production', 'exec', 'cat version.json; echo " in $PWD"');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    for (const host of hosts)
      expect(result.stdout).toContain(`${host.label} | {"version":4} in ${host.home}/app/current`);
  });

  it('a failing pre-deploy-local runs here and stops the update before any host is touched', async () => {
    const before = current(hosts[0]!);
    const result = await deploy(file, 'checked', 'update');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('local | checking here');
    expect(result.stderr).toContain('pre-deploy-local failed (exit 5); no host was touched');
    expect(result.stdout).not.toContain(hosts[0]!.label);
    expect(current(hosts[0]!)).toBe(before);
  });

  it('one host that cannot be reached fails the command; the other still runs, and the summary says which', async () => {
    const result = await deploy(file, 'partial', 'exec', 'echo reached');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^  ${hosts[0]!.label} +ok `, 'm'));
    expect(result.stdout).toMatch(/^ {2}127\.0\.0\.1:\d+ +FAILED {2}ssh failed \(exit 255\)/m);
    expect(result.stdout).toContain(`${hosts[0]!.label} | reached`);
  });
});

describe('tend deploy: the deploy section is checked', () => {
  let tend: TendHarness;
  beforeAll(() => {
    tend = new TendHarness();
  });
  afterAll(async () => {
    await tend.teardown();
  });

  it('names file:line:col and the key of a mistake, and touches no host', async () => {
    const file = tend.write(
      'ecosystem.yml',
      'deploy:\n  production:\n    hots: web1\n    repo: git@example.com:me/app.git\n    path: relative/dir\n    keep: 0\n',
    );
    const result = await tend.run(['deploy', file, 'production', 'setup']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'ecosystem.yml:3:5 deploy.production.hots: unknown key `hots` in a deployment target; did you mean `host`?',
    );
    expect(result.stderr).toMatch(
      /ecosystem\.yml:5:11 deploy\.production\.path: expected an absolute folder on the host/,
    );
    expect(result.stderr).toMatch(/ecosystem\.yml:6:11 deploy\.production\.keep: expected a whole number of releases/);
    expect(result.stderr).toMatch(/deploy\.production: missing `host`/);
  });

  it('apply of the same file says what deploy would refuse, and still applies the apps', async () => {
    const file = tend.write(
      'apps.yml',
      `apps:\n  - name: idle\n    script: ${JSON.stringify(process.execPath)}\n    args: [-e, "setInterval(() => {}, 1000)"]\ndeploy:\n  production:\n    host: web1\n    repo: r\n    path: /srv/app\n    prot: 22\n`,
    );
    const result = await tend.run(['apply', file]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout + result.stderr).toContain(
      'apps.yml:10:5 deploy.production.prot: for `tend deploy`: unknown key `prot` in a deployment target; did you mean `port`?',
    );
    expect((await tend.list()).map((p) => `${p.name} ${p.status}`)).toEqual(['idle online']);
  });

  it('an unknown target names the ones the file has', async () => {
    const file = tend.write('targets.yml', 'deploy:\n  staging:\n    host: web1\n    repo: r\n    path: /srv/app\n');
    const result = await tend.run(['deploy', file, 'production']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('has no deployment target `production`; it has `staging`');
  });
});

const SERVER = `const http = require('node:http');
const { version } = require('./version.json');
http.createServer((req, res) => res.end('version ' + version + '\\n')).listen(Number(process.env.PORT), '127.0.0.1');
`;

// The app's own file in the repository; `project` keeps one owner across releases (each release is its own folder).
// biome-ignore lint/suspicious/noTemplateCurlyInString: `${APP_PORT}` is for tend's interpolation on the host.
const ECOSYSTEM = 'project: shop\napps:\n  - name: web\n    script: server.js\n    env:\n      PORT: ${APP_PORT}\n';
