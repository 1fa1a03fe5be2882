import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, fixture, freePort, processesOfHome, TendHarness, until } from './harness.js';

// Issue #16 §4: PM2's other verbs. Each runs as a user would and is checked through `tend ls --json` and the files.

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

const logOf = (name: string): string => {
  try {
    return readFileSync(join(tend.home, 'logs', `${name}-out.log`), 'utf8');
  } catch {
    return '';
  }
};

const waitForLog = (name: string, text: string, timeoutMs = 10_000): Promise<string> =>
  until(() => logOf(name).includes(text) && logOf(name), timeoutMs, `"${text}" in ${name}'s log`);

describe('reset, sendSignal, env, pid, id', () => {
  it('act on the processes they name; the outcome shows in ls --json, the logs and state.json', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: echo\n    script: ${fixture('echoes-stdin.js')}\n    env: { GREETING: hi, SECRET_TOKEN: s3cr3t }\n` +
        `  - name: other\n    script: ${fixture('forever.js')}\n`,
    );
    await tend.ok(['apply', file]);
    await tend.ok(['restart', 'echo']);
    await tend.ok(['restart', 'echo']);
    const before = (await tend.list())[0]!;
    expect(before.restarts).toBe(2);
    // Long enough that an uptime from the reset is told from one from the restart, however slow this machine's CLI is.
    await new Promise((r) => setTimeout(r, 4000));

    // reset: counters back to 0, uptime from now; the process keeps running; state.json says so too.
    const reset = await tend.ok(['reset', 'echo']);
    expect(reset.stdout).toBe(`reset echo[0] (id 0, pid ${before.pid}): restarts 0, unstable restarts 0\n`);
    const after = (await tend.list())[0]!;
    expect(after).toMatchObject({ pid: before.pid, status: 'online', restarts: 0 });
    expect(after.uptime_ms).toBeLessThan(3000);
    await until(
      () => {
        const state = JSON.parse(readFileSync(join(tend.home, 'state.json'), 'utf8')) as {
          apps: Array<{ spec: { name: string }; processes: Array<{ restarts: number }> }>;
        };
        return state.apps.find((a) => a.spec.name === 'echo')?.processes[0]?.restarts === 0;
      },
      5000,
      'state.json to keep the reset',
    );

    // sendSignal: to the main pid; by any target; an unknown signal or a stopped process is an error.
    const sent = await tend.ok(['sendSignal', 'usr2', 'echo']);
    expect(sent.stdout).toBe(`sent SIGUSR2 to echo[0] (id 0, pid ${before.pid})\n`);
    await waitForLog('echo', 'got SIGUSR2');
    expect((await tend.list())[0]).toMatchObject({ pid: before.pid, status: 'online' });
    const bad = await tend.run(['sendSignal', 'SIGNOPE', 'echo']);
    expect([bad.code, bad.stderr]).toEqual([
      1,
      'tend: `SIGNOPE` is not a signal; give a name such as SIGUSR2 (or USR2) or a number\n',
    ]);
    await tend.ok(['stop', 'other']);
    const toStopped = await tend.run(['sendSignal', 'SIGUSR2', 'other']);
    expect([toStopped.code, toStopped.stderr]).toEqual([
      1,
      'tend: SIGUSR2 not sent to other[0] (id 1): not running (stopped)\n',
    ]);

    // env: every variable the process starts with, `KEY: value`, secrets masked unless asked.
    const env = await tend.ok(['env', '0']);
    const lines = env.stdout.trimEnd().split('\n');
    expect(lines).toEqual(expect.arrayContaining(['GREETING: hi', 'SECRET_TOKEN: ***', 'TEND_ID: 0', 'pm_id: 0']));
    expect(lines).toContain(`TEND_HOME: ${tend.home}`);
    expect(lines).toContain('NODE_APP_INSTANCE: 0');
    expect(env.stdout).not.toContain('s3cr3t');
    expect(env.stderr).toMatch(/SECRET_TOKEN masked .*--show-secrets/);
    const clear = await tend.ok(['env', 'echo', '--show-secrets']);
    expect(clear.stdout).toContain('SECRET_TOKEN: s3cr3t\n');
    // The app really has that environment.
    const environ = readFileSync(`/proc/${before.pid}/environ`, 'utf8').split('\0');
    expect(environ).toEqual(expect.arrayContaining(['GREETING=hi', 'TEND_ID=0', 'SECRET_TOKEN=s3cr3t']));

    // pid and id: one a line; a stopped process has no pid.
    await tend.ok(['start', 'other']);
    const list = await tend.list();
    expect((await tend.ok(['pid'])).stdout).toBe(list.map((p) => `${p.pid}\n`).join(''));
    expect((await tend.ok(['pid', 'echo'])).stdout).toBe(`${before.pid}\n`);
    await tend.ok(['stop', 'other']);
    expect((await tend.ok(['pid', 'other'])).stdout).toBe('');
    expect((await tend.ok(['id', 'other'])).stdout).toBe('1\n');
    expect((await tend.ok(['id', 'all'])).stdout).toBe('0\n1\n');
    const noId = await tend.run(['id', 'nope']);
    expect([noId.code, noId.stderr]).toEqual([1, 'tend: no process matches `nope`; known apps: echo, other\n']);
  });
});

describe('send and attach: the stdin of a fork-mode process', () => {
  it('lines reach the app through a FIFO in the home, also after the daemon was killed; what cannot take them says why', async () => {
    const port = await freePort();
    const deaf = tend.write('deaf.sh', 'exec </dev/null\necho deaf started\nwhile true; do sleep 1; done\n');
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: echo\n    script: ${fixture('echoes-stdin.js')}\n` +
        `  - name: web\n    script: ${fixture('cluster-http.cjs')}\n    exec_mode: cluster\n    env: { PORT: "${port}" }\n` +
        `  - name: deaf\n    script: ${deaf}\n`,
    );
    await tend.ok(['apply', file]);
    const echo = (await tend.list()).find((p) => p.name === 'echo')!;
    const fifo = join(tend.home, 'stdin', String(echo.id));
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(execFileSync('readlink', [`/proc/${echo.pid}/fd/0`], { encoding: 'utf8' }).trim()).toBe(fifo);

    const sent = await tend.ok(['send', 'echo', 'hello', 'world']);
    expect(sent.stdout).toBe(`sent 12 bytes to the stdin of echo[0] (id ${echo.id}, pid ${echo.pid})\n`);
    await waitForLog('echo', 'got: hello world');

    // The FIFO has no owner: a daemon killed with -9 takes nothing with it, and the next one writes to it.
    process.kill(tend.daemonPid()!, 'SIGKILL');
    await tend.ok(['send', String(echo.id), 'after the daemon died']);
    await waitForLog('echo', 'got: after the daemon died');
    expect(logOf('echo')).not.toContain('stdin ended');
    expect((await tend.list()).find((p) => p.name === 'echo')!.pid).toBe(echo.pid);

    // A cluster worker has none (as PM2); a process whose stdin is not tend's is told how to get one.
    const toWeb = await tend.run(['send', 'web', 'x']);
    expect(toWeb.code).toBe(1);
    expect(toWeb.stderr).toMatch(/^tend: nothing sent to web\[0\] .*: a cluster worker has no stdin tend can write to/);
    await waitForLog('deaf', 'deaf started');
    const toDeaf = await tend.run(['send', 'deaf', 'x']);
    expect(toDeaf.code).toBe(1);
    expect(toDeaf.stderr).toMatch(/its stdin is not tend's: .*restart it once \(`tend restart \d+`\)/);
    const attachDeaf = await tend.run(['attach', 'deaf']);
    expect(attachDeaf.code).toBe(1);
    expect(attachDeaf.stderr).toMatch(/^tend: cannot attach to deaf\[0\] .*its stdin is not tend's/);
    await tend.ok(['stop', 'echo']);
    const toStopped = await tend.run(['send', 'echo', 'x']);
    expect([toStopped.code, toStopped.stderr]).toEqual([
      1,
      `tend: nothing sent to echo[0] (id ${echo.id}): not running (stopped)\n`,
    ]);
  });

  it('attach: typed lines go to the process, its output comes back, Ctrl-C detaches', async () => {
    await tend.ok(['start', fixture('echoes-stdin.js'), '--name', 'echo']);
    await waitForLog('echo', 'echoes-stdin started');
    const attach = spawn(process.execPath, [CLI, 'attach', 'echo'], {
      cwd: tend.work,
      env: { ...process.env, TEND_HOME: tend.home, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out = collect(attach);
    await until(() => out.stderr.includes('attached to echo[0]'), 10_000, 'the attach banner');
    attach.stdin!.write('first line\n');
    await until(() => out.stdout.includes('got: first line\n'), 10_000, 'the answer to the first line');
    attach.stdin!.write('second line\n');
    await until(() => out.stdout.includes('got: second line\n'), 10_000, 'the answer to the second line');
    attach.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => attach.once('exit', (c) => resolve(c)));
    expect(code).toBe(0);
    // Detaching leaves the process as it was.
    expect((await tend.list())[0]).toMatchObject({ name: 'echo', status: 'online', restarts: 0 });
    expect(logOf('echo')).not.toContain('stdin ended');
  });
});

function collect(child: ChildProcess): { stdout: string; stderr: string } {
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk: Buffer) => {
    out.stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    out.stderr += chunk.toString();
  });
  return out;
}

describe('cleardump, update aliases, list aliases, plus/link, a bare tend', () => {
  it('behave as PM2’s', async () => {
    await tend.ok(['start', fixture('forever.js'), '--name', 'keep']);
    await tend.ok(['save']);
    const dump = join(tend.home, 'dump.json');
    expect((JSON.parse(readFileSync(dump, 'utf8')) as { apps: unknown[] }).apps).toHaveLength(1);
    expect((await tend.ok(['cleardump'])).stdout).toBe(`emptied ${dump}\n`);
    expect((JSON.parse(readFileSync(dump, 'utf8')) as { apps: unknown[] }).apps).toEqual([]);

    // status, ps and l are ls.
    const ls = await tend.ok(['ls']);
    for (const alias of ['status', 'ps', 'l', 'list']) {
      const result = await tend.ok([alias]);
      expect(result.stdout.split('\n')[0]).toBe(ls.stdout.split('\n')[0]);
      expect(result.stdout).toMatch(/\bkeep\b.*\bonline\b/);
    }

    // updatePM2 and deepUpdate are update: a new daemon, the same app process.
    const appPid = (await tend.list())[0]!.pid;
    for (const alias of ['updatePM2', 'deepUpdate']) {
      const oldDaemon = tend.daemonPid();
      const updated = await tend.ok([alias]);
      expect(updated.stdout).toMatch(new RegExp(`^daemon ${oldDaemon} .* → daemon \\d+ .*1 process kept running\\n$`));
      expect(tend.daemonPid()).not.toBe(oldDaemon);
      expect((await tend.list())[0]).toMatchObject({ pid: appPid, status: 'online' });
    }

    // After cleardump, resurrect has nothing to bring back.
    await tend.ok(['kill']);
    await tend.ok(['resurrect']);
    expect(await tend.list()).toEqual([]);

    for (const verb of ['plus', 'link', 'register']) {
      const result = await tend.ok([verb]);
      expect(result.stdout).toMatch(/^tend has no hosted service: `tend dashboard` serves a web dashboard/);
    }

    // A bare `tend`: the help on stdout and exit 1, as PM2.
    const bare = await tend.run([]);
    expect(bare.code).toBe(1);
    expect(bare.stdout).toMatch(/^Usage: tend \[options\] \[command\]/);
    expect(bare.stdout).toMatch(/\n {2}sendSignal <signal> <targets\.\.\.>/);
  });
});

describe('kill', () => {
  it('returns once every process of the home has exited, cluster primaries included: the port is free at once', async () => {
    const port = await freePort();
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: web\n    script: ${fixture('cluster-http.cjs')}\n    exec_mode: cluster\n    instances: 2\n    env: { PORT: "${port}" }\n` +
        `  - name: stamped\n    script: ${fixture('ticks.js')}\n    time: true\n`,
    );
    await tend.ok(['apply', file]);
    const running = processesOfHome(tend.home);
    const args = running.map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
    expect(args.filter((a) => a.includes('cluster-primary.js'))).toHaveLength(1);
    expect(args.filter((a) => a.includes('log-writer.js'))).toHaveLength(1);

    const killed = await tend.ok(['kill']);
    expect(killed.stdout).toBe('stopped 3 processes and the daemon\n');
    // Nothing of the home is left the moment kill returns: no daemon, no primary, no worker, no writer.
    expect(processesOfHome(tend.home)).toEqual([]);
    expect(existsSync(join(tend.home, 'cluster'))).toBe(true);
    // The port is free the moment kill returns: the primary did not linger on it (it would for 3 s after its last worker).
    await new Promise<void>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
    });
    // And the same file starts again on the same port at once.
    await tend.ok(['apply', file]);
    expect((await tend.list()).map((p) => p.status)).toEqual(['online', 'online', 'online']);
  });
});

describe('pull, forward, backward', () => {
  it("move the git checkout in the app's cwd and reload it; a dirty or non-git cwd is refused", async () => {
    const git = (cwd: string, ...args: string[]): string =>
      execFileSync('git', args, {
        cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@t',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@t',
        },
      }).trim();
    const origin = join(tend.work, 'origin.git');
    const site = join(tend.work, 'site');
    git(tend.work, 'init', '--quiet', '--bare', '--initial-branch=main', origin);
    git(tend.work, 'clone', '--quiet', origin, site);
    writeFileSync(
      join(site, 'app.js'),
      "const v = require('fs').readFileSync(__dirname + '/version.txt', 'utf8').trim();\n" +
        "console.log('version ' + v + ' ' + process.pid);\nsetInterval(() => {}, 1 << 30);\n",
    );
    const commits: string[] = [];
    for (const v of ['v1', 'v2', 'v3']) {
      writeFileSync(join(site, 'version.txt'), `${v}\n`);
      git(site, 'add', '.');
      git(site, 'commit', '--quiet', '-m', v);
      commits.push(git(site, 'rev-parse', 'HEAD'));
    }
    git(site, 'push', '--quiet', 'origin', 'HEAD:main');
    git(site, 'branch', '--quiet', '--set-upstream-to=origin/main');
    const [c1, c2, c3] = commits as [string, string, string];
    const short = (sha: string): string => sha.slice(0, 7);

    await tend.ok(['start', 'app.js', '--name', 'site'], { cwd: site });
    await waitForLog('site', 'version v3');
    const step = async (args: string[], commit: string, version: string, from: string): Promise<void> => {
      const before = (await tend.list())[0]!;
      const result = await tend.ok(args);
      expect(result.stdout).toMatch(
        new RegExp(`^site: ${short(from)} → ${short(commit)} \\(${args[0]} in ${site}\\)\\n`),
      );
      expect(git(site, 'rev-parse', 'HEAD')).toBe(commit);
      const after = (await tend.list())[0]!;
      expect(after.pid).not.toBe(before.pid);
      expect(after.status).toBe('online');
      await waitForLog('site', `version ${version} ${after.pid}`);
    };
    await step(['backward', 'site'], c2, 'v2', c3);
    await step(['backward', 'site'], c1, 'v1', c2);
    const first = await tend.run(['backward', 'site']);
    expect([first.code, first.stderr]).toEqual([
      1,
      `tend: site: already at the first commit of origin/main (${short(c1)})\n`,
    ]);
    await step(['forward', 'site'], c2, 'v2', c1);
    await step(['pull', 'site', short(c1)], c1, 'v1', c2);
    // pull: fast-forward to the upstream.
    await step(['pull', 'site'], c3, 'v3', c1);
    const pid = (await tend.list())[0]!.pid;
    expect((await tend.ok(['pull', 'site'])).stdout).toBe(`site: already up to date at ${short(c3)}; not reloaded\n`);
    expect((await tend.list())[0]!.pid).toBe(pid);

    // Local changes: refused before git touches anything.
    writeFileSync(join(site, 'version.txt'), 'edited\n');
    const dirty = await tend.run(['backward', 'site']);
    expect(dirty.code).toBe(1);
    expect(dirty.stderr).toBe(
      `tend: ${site} (site) has local changes; commit or stash them first, backward would not move over them: M version.txt\n`,
    );
    expect(git(site, 'rev-parse', 'HEAD')).toBe(c3);
    expect((await tend.list())[0]!.pid).toBe(pid);

    // Not a git work tree.
    const plain = join(tend.work, 'plain');
    mkdirSync(plain);
    writeFileSync(join(plain, 'app.js'), 'setInterval(() => {}, 1 << 30);\n');
    await tend.ok(['start', 'app.js', '--name', 'plain'], { cwd: plain });
    const notGit = await tend.run(['pull', 'plain']);
    expect([notGit.code, notGit.stderr]).toEqual([
      1,
      `tend: \`plain\` runs in ${plain}, which is not in a git work tree: pull moves the git checkout an app runs from\n`,
    ]);
  });
});
