import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, fixture, isAlive, TendHarness, type CliResult } from './harness.js';

// A plain `tend ls` (or jlist, --json, --sort) takes a path of its own, without commander (src/cli/fast/); anything
// else, or a plain ls that path cannot answer, goes through commander. The user must not be able to tell them apart.

let tend: TendHarness;
const copies: string[] = [];
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function startThree(): Promise<void> {
  const apps = ['b', 'c', 'a'].map((name) => `  - name: ${name}\n    script: ${fixture('forever.js')}\n`).join('');
  await tend.ok(['apply', tend.write('eco.yml', `apps:\n${apps}`)]);
}

/** The columns of the table that do not move between two calls (uptime, cpu and memory do); not the summary line. */
function stableColumns(table: string): string[][] {
  return table
    .trimEnd()
    .split('\n')
    .filter((line) => !/^\d+ process/.test(line))
    .map((line) => line.split(/\s+/).slice(0, 6));
}

/** A copy of the build (or of some of its files) in a folder whose package.json says `type` (none: no package.json). */
function copyOfBuild(type: 'module' | 'none', only?: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'tend-ls-fast-'));
  copies.push(root);
  const dist = join(root, 'dist');
  if (only) {
    mkdirSync(dist);
    for (const file of only) copyFileSync(join(dirname(CLI), file), join(dist, file));
  } else {
    cpSync(dirname(CLI), dist, { recursive: true });
  }
  if (type === 'module') writeFileSync(join(root, 'package.json'), '{"type":"module"}\n');
  return join(dist, 'cli.cjs');
}

function runCli(cli: string, args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { env: { ...process.env, TEND_HOME: tend.home, NO_COLOR: '1' }, timeout: 20_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('tend ls, daemon up', () => {
  it('prints what the full parser prints, sorted the same way', async () => {
    await startThree();
    // --no-color is not a fast-path option: that call goes through commander.
    const fast = await tend.ok(['ls', '--sort', 'name:desc']);
    const full = await tend.ok(['ls', '--sort', 'name:desc', '--no-color']);
    expect(stableColumns(fast.stdout)).toEqual(stableColumns(full.stdout));
    expect(stableColumns(fast.stdout).map((row) => row[1])).toEqual(['name', 'c', 'b', 'a']);
    expect(fast.stderr).toBe('');
  });

  it('a pattern (name, glob, /regex/) lists only what it names, with a summary line, on both paths', async () => {
    await startThree();
    for (const extra of [[], ['--no-color']]) {
      const glob = await tend.ok(['ls', 'a*', ...extra]);
      expect(stableColumns(glob.stdout).map((row) => row[1])).toEqual(['name', 'a']);
      expect(glob.stdout).toMatch(/\n1 process \(of 3\) of 1 app: 1 online\n$/);
      const regex = await tend.ok(['ls', '/^[bc]$/', '--sort', 'name', ...extra]);
      expect(stableColumns(regex.stdout).map((row) => row[1])).toEqual(['name', 'b', 'c']);
      const none = await tend.ok(['ls', 'zzz', ...extra]);
      expect(none.stdout).toBe('No process matches `zzz` (of 3).\n');
    }
    expect((await tend.ok(['ls'])).stdout).toMatch(/\n3 processes of 3 apps: 3 online\n$/);
  });

  it("jlist (PM2's shape) and ls --json (tend's) print one JSON array, --sort applied", async () => {
    await startThree();
    const jlist = JSON.parse((await tend.ok(['jlist'])).stdout) as { name: string; pm2_env: { status: string } }[];
    expect(jlist.map((p) => p.pm2_env.status)).toEqual(['online', 'online', 'online']);
    const sorted = JSON.parse((await tend.ok(['ls', '--json', '--sort', 'name'])).stdout) as { name: string }[];
    expect(sorted.map((p) => p.name)).toEqual(['a', 'b', 'c']);
  });

  it('a bad --sort fails with exit code 1 and the same message as before, printing no list', async () => {
    await startThree();
    const field = await tend.run(['ls', '--sort', 'bogus']);
    expect(field).toMatchObject({ code: 1, stdout: '' });
    expect(field.stderr).toBe(
      'tend: cannot sort by `bogus`; use one of name, id, pid, cpu, memory, status, uptime, restarts\n',
    );
    const direction = await tend.run(['ls', '--json', '--sort', 'name:up']);
    expect(direction).toMatchObject({ code: 1, stdout: '', stderr: 'tend: sort direction is asc or desc, not `up`\n' });
  });

  it('needs nothing but cli.cjs (no chunk, no commander), whatever the package type', async () => {
    await startThree();
    for (const type of ['none', 'module'] as const) {
      const cli = copyOfBuild(type, ['cli.cjs']);
      const ls = await runCli(cli, ['ls', '--sort', 'name']);
      expect(ls, `package type ${type}`).toMatchObject({ code: 0, stderr: '' });
      expect(stableColumns(ls.stdout).map((row) => row[1])).toEqual(['name', 'a', 'b', 'c']);
    }
  });

  it('jlist and prettylist need nothing but cli.cjs and pm2-list.cjs (no chunk, no commander)', async () => {
    await startThree();
    const cli = copyOfBuild('module', ['cli.cjs', 'pm2-list.cjs']);
    const jlist = await runCli(cli, ['jlist']);
    expect(jlist).toMatchObject({ code: 0, stderr: '' });
    expect((JSON.parse(jlist.stdout) as { name: string }[]).map((p) => p.name).sort()).toEqual(['a', 'b', 'c']);
    const pretty = await runCli(cli, ['prettylist', '--show-secrets']);
    expect(pretty).toMatchObject({ code: 0, stderr: '' });
    expect(pretty.stdout).toMatch(/^\[\n {2}\{\n {4}pid: \d+,\n {4}name: '[abc]',/);
  });
});

describe('tend ls, no daemon', () => {
  it('starts the daemon and prints the empty list, as every command does', async () => {
    const ls = await tend.ok(['ls']);
    expect(ls.stdout).toMatch(/^No processes\. Start one with/);
    expect(isAlive(tend.daemonPid()!)).toBe(true);
  });

  it('works from the installed package (type: module) and from a build with no package.json', async () => {
    for (const type of ['module', 'none'] as const) {
      const cli = copyOfBuild(type);
      const jlist = await runCli(cli, ['jlist']);
      expect(jlist, `package type ${type}`).toMatchObject({ code: 0, stdout: '[]\n' });
      expect(existsSync(join(tend.home, 'tend.sock'))).toBe(true);
      expect((await runCli(cli, ['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+/);
      expect((await runCli(cli, ['kill'])).code).toBe(0);
    }
  });
});
