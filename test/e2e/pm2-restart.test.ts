import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, sleep, TendHarness } from './harness.js';

// PM2's restart, reload and the environment (issue #16, section 3): checked through `tend ls --json`, `tend show --json`
// and the apps' own output.

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

const printsEnv = fixture('prints-env.js');

/** The environment a process runs with, as the kernel has it. */
function envOf(pid: number | null): Record<string, string> {
  const pairs = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}

async function shown(name: string): Promise<Record<string, unknown> & { env: Record<string, { value: string }> }> {
  return JSON.parse((await tend.ok(['show', name, '--json', '--show-secrets'])).stdout)[0];
}

const cmdline = (pid: number | null) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');

describe('restart and reload of a file', () => {
  it('restart FILE re-reads it: every changed key takes effect, and apps not running are started', async () => {
    const v1 = `apps:\n  - name: a\n    script: ${printsEnv}\n    env:\n      COLOR: red\n    max_memory_restart: 300M\n`;
    const file = tend.write('eco.yml', v1);
    await tend.ok(['start', file]);
    writeFileSync(
      file,
      `${v1.replace('red', 'blue').replace('300M', '200M')}    node_args: --max-old-space-size=100\n    log_date_format: YYYY\n  - name: b\n    script: ${fixture('forever.js')}\n`,
    );
    await tend.ok(['restart', file]);
    const list = await tend.list();
    expect(list.map((p) => [p.name, p.status])).toEqual([
      ['a', 'online'],
      ['b', 'online'],
    ]);
    const a = await shown('a');
    expect(a.env.COLOR?.value).toBe('blue');
    expect(a.interpreter_args).toEqual(['--max-old-space-size=100']);
    expect(a.policy).toMatchObject({ maxMemoryRestartBytes: 200 * 1024 * 1024, logs: { dateFormat: 'YYYY' } });
    expect(cmdline(list[0]!.pid)).toContain('--max-old-space-size=100');
  });

  it('restart FILE restarts a running app even when nothing changed; reload FILE too', async () => {
    const file = tend.write('eco.yml', `apps:\n  - name: a\n    script: ${fixture('forever.js')}\n`);
    await tend.ok(['start', file]);
    await tend.ok(['restart', file]);
    await tend.ok(['reload', file]);
    const [a] = await tend.list();
    expect([a?.status, a?.restarts]).toEqual(['online', 2]);
  });

  it('--env NAME merges deploy.NAME.env under env and env_NAME', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: a\n    script: ${printsEnv}\n    env:\n      LEVEL: app\n    env_prod:\n      TIER: prod\ndeploy:\n  prod:\n    env:\n      LEVEL: deploy\n      REGION: eu\n`,
    );
    await tend.ok(['restart', file, '--env', 'prod']);
    const env = (await shown('a')).env;
    expect([env.LEVEL?.value, env.TIER?.value, env.REGION?.value]).toEqual(['app', 'prod', 'eu']);
  });

  it('startOrRestart and startOrReload are restart FILE and reload FILE', async () => {
    const file = tend.write('eco.yml', `apps:\n  - name: a\n    script: ${fixture('forever.js')}\n`);
    await tend.ok(['startOrRestart', file]);
    expect((await tend.list()).map((p) => [p.name, p.restarts])).toEqual([['a', 0]]);
    await tend.ok(['startOrReload', file]);
    await tend.ok(['startOrGracefulReload', file]);
    expect((await tend.list()).map((p) => [p.name, p.status, p.restarts])).toEqual([['a', 'online', 2]]);
  });

  it('a bad file changes nothing', async () => {
    const file = tend.write('eco.yml', `apps:\n  - name: a\n    script: ${fixture('forever.js')}\n`);
    await tend.ok(['start', file]);
    const [before] = await tend.list();
    writeFileSync(file, `apps:\n  - name: a\n    script: ${fixture('forever.js')}\n    instances: lots\n`);
    const result = await tend.run(['restart', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('eco.yml:4:16 apps[0].instances');
    const [after] = await tend.list();
    expect([after?.pid, after?.restarts]).toEqual([before?.pid, 0]);
  });
});

describe('restart of an app with options', () => {
  it('--node-args sets the interpreter arguments, --node-args=null clears them', async () => {
    await tend.ok(['start', fixture('forever.js'), '--name', 'f']);
    await tend.ok(['restart', 'f', '--node-args=--max-old-space-size=64']);
    expect(cmdline((await tend.list())[0]!.pid)).toContain('--max-old-space-size=64');
    await tend.ok(['restart', 'f', '--node-args=null']);
    expect(cmdline((await tend.list())[0]!.pid)).not.toContain('--max-old-space-size=64');
    expect((await shown('f')).interpreter_args).toEqual([]);
  });

  it('--name renames the app; its default log files follow the name', async () => {
    await tend.ok(['start', fixture('forever.js'), '--name', 'old']);
    await tend.ok(['restart', 'old', '--name', 'new']);
    const list = await tend.list();
    expect(list.map((p) => [p.name, p.status])).toEqual([['new', 'online']]);
    expect(list[0]!.pm_out_log_path).toMatch(/\/new-out\.log$/);
    const taken = await tend.run(['restart', 'new', '--name', '../x']);
    expect(taken.code).toBe(1);
  });

  it('without --update-env a restart keeps the stored environment; with -a the shell replaces it', async () => {
    await tend.ok(['start', printsEnv, '--name', 'e'], { env: { SHELL_VAR: 'one' } });
    await tend.ok(['restart', 'e'], { env: { SHELL_VAR: 'two' } });
    expect(envOf((await tend.list())[0]!.pid).SHELL_VAR).toBe('one');
    await tend.ok(['restart', 'e', '-a'], { env: { SHELL_VAR: 'three' } });
    expect(envOf((await tend.list())[0]!.pid).SHELL_VAR).toBe('three');
    expect((await shown('e')).env.SHELL_VAR?.value).toBe('three');
  });

  it('restart FILE without --update-env keeps the shell the app started with; the file still takes effect', async () => {
    const v1 = `apps:\n  - name: a\n    script: ${printsEnv}\n    env:\n      COLOR: red\n`;
    const file = tend.write('eco.yml', v1);
    await tend.ok(['start', file], { env: { SHELL_VAR: 'one' } });
    writeFileSync(file, v1.replace('red', 'blue'));
    await tend.ok(['restart', file], { env: { SHELL_VAR: 'two' } });
    const env = (await shown('a')).env;
    expect([env.SHELL_VAR?.value, env.COLOR?.value]).toEqual(['one', 'blue']);
    await tend.ok(['reload', file, '--update-env'], { env: { SHELL_VAR: 'two' } });
    expect((await shown('a')).env.SHELL_VAR?.value).toBe('two');
  });
});

describe('watching and the restart count', () => {
  it('stop turns watching off; start keeps it off unless --watch', async () => {
    const dir = tend.write('app/app.js', readFileSync(fixture('forever.js'), 'utf8')).replace(/app\.js$/, '');
    await tend.ok(['start', `${dir}app.js`, '--watch', '--cwd', dir]);
    expect(((await tend.list())[0] as unknown as { watch: boolean }).watch).toBe(true);
    await tend.ok(['stop', 'app']);
    await tend.ok(['start', 'app']);
    const [off] = await tend.list();
    expect([off?.status, (off as unknown as { watch: boolean }).watch]).toEqual(['online', false]);
    writeFileSync(`${dir}touched.txt`, 'x');
    await sleep(1500);
    expect((await tend.list())[0]!.restarts).toBe(0);
    await tend.ok(['start', 'app', '--watch']);
    const [on] = await tend.list();
    expect((on as unknown as { watch: boolean }).watch).toBe(true);
    writeFileSync(`${dir}touched.txt`, 'y');
    await tend.waitFor((l) => l[0]!.restart_reason === 'watch', 10_000, 'a watch restart');
  });

  it('restart_time counts when the process is spawned again, not when it crashes', async () => {
    const file = tend.write(
      'eco.yml',
      `apps:\n  - name: c\n    script: ${fixture('crash-after.js')}\n    restart_delay: 3000\n    env:\n      CRASH_AFTER_MS: 300\n`,
    );
    await tend.ok(['start', file]);
    const waiting = await tend.waitFor((l) => l[0]!.status === 'waiting-restart', 10_000, 'the crash');
    expect(waiting[0]!.restarts).toBe(0);
    const respawned = await tend.waitFor((l) => l[0]!.status !== 'waiting-restart', 10_000, 'the respawn');
    expect(respawned[0]!.restarts).toBe(1);
  });
});
