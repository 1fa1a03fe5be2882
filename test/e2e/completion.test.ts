import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, fixture, processesOfHome, TendHarness } from './harness.js';

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
  rmSync(`${tend.home}-bin`, { recursive: true, force: true });
});

const has = (program: string): boolean => spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;

/** What the hidden completion request suggests (the first field of each line) for a command line. */
async function suggest(words: string[]): Promise<string[]> {
  const { stdout } = await tend.ok(['__complete', '--', 'tend', ...words]);
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t')[0]!);
}

/** `tend` on PATH, as the completion scripts call it, running the build under test with this test's home. */
function shimDir(): string {
  const dir = `${tend.home}-bin`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'tend'), `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`);
  chmodSync(join(dir, 'tend'), 0o755);
  return dir;
}

/** Each command line's COMPREPLY, from the bash script loaded in a real bash with the cursor at the end. */
function bashComplete(script: string, lines: string[][]): string[][] {
  const file = join(tend.work, 'tend.bash');
  writeFileSync(file, script);
  const calls = lines.map((words) => `t ${words.map((w) => `'${w}'`).join(' ')}`).join('\n');
  const program = `source '${file}'
t() { COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=\${#COMP_LINE}; _tend_completion; printf '%s\\n' "\${COMPREPLY[*]}"; }
${calls}`;
  const result = spawnSync('bash', ['--norc', '--noprofile', '-c', program], {
    cwd: tend.work,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${shimDir()}:${process.env.PATH}`, TEND_HOME: tend.home },
  });
  expect(result.stderr).toBe('');
  return result.stdout
    .trimEnd()
    .split('\n')
    .map((line) => (line === '' ? [] : line.split(' ').sort()));
}

describe('tend completion', () => {
  it("completes every verb `tend --help` lists, and each verb's options from its own --help", async () => {
    const help = (await tend.ok(['--help'])).stdout;
    const verbs = help
      .slice(help.indexOf('Commands:'))
      .split('\n')
      .slice(1)
      .map((line) => /^ {2}(\S+?)(\||\s)/.exec(line)?.[1])
      .filter((verb): verb is string => verb !== undefined);
    expect(verbs.length).toBeGreaterThan(20);
    expect((await suggest([''])).sort()).toEqual([...verbs].sort());
    // A few at a time: each is a node process, and the machine has two cores.
    const queue = verbs.filter((verb) => verb !== 'help');
    await Promise.all(
      Array.from({ length: 3 }, async () => {
        for (let verb = queue.shift(); verb !== undefined; verb = queue.shift()) {
          const options = [...(await tend.ok([verb, '--help'])).stdout.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map(
            (m) => m[1],
          );
          const suggested = await suggest([verb, '--']);
          for (const option of options) expect(suggested, `tend ${verb} ${option}`).toContain(option);
        }
      }),
    );
  }, 120_000);

  it('in a real bash: verbs, option values, ecosystem files, app names and ids from the running daemon', async () => {
    for (const name of ['eco.yml', 'app.config.js', 'server.js', 'notes.txt']) tend.write(name, '');
    mkdirSync(join(tend.work, 'conf'));
    await tend.ok(['start', fixture('forever.js'), '--name', 'api', '-i', '2']);
    await tend.ok(['start', fixture('forever.js'), '--name', 'worker']);
    const script = (await tend.ok(['completion', 'bash'])).stdout;
    const [verbs, sort, apply, stop, scale, logs, appArgs] = bashComplete(script, [
      ['tend', 're'],
      ['tend', 'ls', '--sort', 'u'],
      ['tend', 'apply', ''],
      ['tend', 'stop', ''],
      ['tend', 'scale', 'w'],
      ['tend', 'logs', 'api', '--li'],
      ['tend', 'start', 'server.js', '--', 'no'],
    ]);
    expect(verbs).toEqual(expect.arrayContaining(['reload', 'reloadLogs', 'restart', 'resurrect']));
    expect(verbs!.every((verb) => verb.startsWith('re'))).toBe(true);
    expect(sort).toEqual(['uptime']);
    expect(apply).toEqual(['app.config.js', 'conf', 'eco.yml']);
    expect(stop).toEqual(expect.arrayContaining(['0', '1', '2', 'all', 'api', 'worker', 'eco.yml']));
    expect(scale).toEqual(['worker']);
    expect(logs).toEqual(['--lines']);
    expect(appArgs).toEqual(['notes.txt']);
  });

  it('asks only a daemon that runs: completing app names starts none', async () => {
    const script = (await tend.ok(['completion', 'bash'])).stdout;
    expect(bashComplete(script, [['tend', 'show', '']])).toEqual([[]]);
    expect(existsSync(join(tend.home, 'daemon.pid'))).toBe(false);
    expect(processesOfHome(tend.home)).toEqual([]);
  });

  it.skipIf(!has('zsh'))('the zsh script passes zsh -n', async () => {
    const file = tend.write('tend.zsh', (await tend.ok(['completion', 'zsh'])).stdout);
    const check = spawnSync('zsh', ['-n', file], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
  });

  it.skipIf(!has('fish'))('the fish script passes fish -n, and fish completes with it', async () => {
    const file = tend.write('tend.fish', (await tend.ok(['completion', 'fish'])).stdout);
    expect(spawnSync('fish', ['-n', file], { encoding: 'utf8' }).status).toBe(0);
    tend.write('eco.yml', '');
    tend.write('notes.txt', '');
    const fish = (line: string) =>
      spawnSync('fish', ['--no-config', '-c', `source '${file}'; complete -C '${line}'`], {
        cwd: tend.work,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${shimDir()}:${process.env.PATH}`, TEND_HOME: tend.home },
      })
        .stdout.trim()
        .split('\n')
        .map((suggestion) => suggestion.split('\t')[0]);
    const verbs = fish('tend st');
    expect(verbs).toEqual(expect.arrayContaining(['start', 'startup', 'stop']));
    expect(verbs.every((verb) => verb?.startsWith('st'))).toBe(true);
    expect(fish('tend apply ')).toEqual(['eco.yml']);
  });

  it('install puts the script in place and loads it from ~/.bashrc, once; uninstall takes both away', async () => {
    const home = join(tend.work, 'home');
    mkdirSync(home);
    writeFileSync(join(home, '.bashrc'), 'export EDITOR=vi\n');
    const env = { HOME: home, SHELL: '/bin/bash', XDG_DATA_HOME: '' };
    const first = await tend.ok(['completion', 'install'], { env });
    const script = join(home, '.local/share/bash-completion/completions/tend');
    expect(first.stdout).toContain(`wrote ${script}`);
    expect(readFileSync(script, 'utf8')).toBe((await tend.ok(['completion', 'bash'])).stdout);
    expect((await tend.ok(['completion', 'install', 'bash'], { env })).stdout).toMatch(
      /installed already: nothing to do/,
    );
    // A new interactive bash has the completion.
    const registered = spawnSync('bash', ['-ic', 'complete -p tend'], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    expect(registered.stdout.trim()).toBe('complete -F _tend_completion tend');

    await tend.ok(['completion', 'uninstall'], { env });
    expect(readFileSync(join(home, '.bashrc'), 'utf8')).toBe('export EDITOR=vi\n');
    expect(existsSync(script)).toBe(false);
  });
});
