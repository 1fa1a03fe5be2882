import { copyFileSync, existsSync, readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isTendError } from '../../src/core/errors.js';
import { flushFile } from '../../src/runtime/log-files.js';
import { isSameProcess, readStartTime } from '../../src/runtime/process-tree.js';
import { spawnInstance } from '../../src/runtime/spawn-instance.js';
import type { SpawnedProcess } from '../../src/runtime/spawn-instance.js';
import type { AppSpec } from '../../src/config/types.js';
import { APPS, Sandbox, fixtureSpec, readText, waitFor } from './helpers.js';

let box: Sandbox;
afterEach(async () => {
  expect(await box.cleanup()).toEqual([]);
});

async function start(spec: AppSpec, instance = 0, id = 0): Promise<SpawnedProcess> {
  const child = await spawnInstance({ spec, instance, id });
  box.track(child.pid);
  return child;
}

describe('spawnInstance', () => {
  it('writes stdout and stderr straight to the log files, in its own session', async () => {
    box = new Sandbox();
    const spec = fixtureSpec(box.dir, 'forever.js');
    const child = await start(spec);
    await waitFor(() => readText(spec.logs.out!).includes(`forever started ${child.pid}`), 5000, 'first line');
    expect(readText(spec.logs.err!)).toBe('');
    expect(statSync(spec.logs.out!).mode & 0o777).toBe(0o640 & ~process.umask());
    // Own session and process group: a SIGKILL of the daemon's group does not reach it.
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
    const [pgid, sid] = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .slice(2, 4)
      .map(Number);
    expect({ pgid, sid }).toEqual({ pgid: child.pid, sid: child.pid });
    expect(child.startTime).toBe(readStartTime(child.pid));
    expect(isSameProcess(child.pid, child.startTime)).toBe(true);
    // The daemon keeps no fd of the log files: the child alone writes them.
    const targets = readdirSync('/proc/self/fd').map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    });
    expect(targets).not.toContain(spec.logs.out);
  });

  it('reports the exit code and what the app wrote to stderr', async () => {
    box = new Sandbox();
    const spec = fixtureSpec(box.dir, 'crash-immediately.js');
    const child = await start(spec);
    expect(await child.exited).toEqual({ code: 1, signal: null });
    expect(readText(spec.logs.err!)).toBe('crashing now\n');
  });

  it('gives each instance its own files when logs are not merged', async () => {
    box = new Sandbox();
    const spec = fixtureSpec(box.dir, 'forever.js', { logs: { merge: false } });
    const a = await start(spec, 0, 0);
    const b = await start(spec, 1, 1);
    const logs = path.join(box.dir, 'logs');
    await waitFor(
      () => readText(path.join(logs, 'forever-out-1.log')).includes(`started ${b.pid}`),
      5000,
      'instance 1 log',
    );
    await waitFor(
      () => readText(path.join(logs, 'forever-out-0.log')).includes(`started ${a.pid}`),
      5000,
      'instance 0 log',
    );
    expect(existsSync(path.join(logs, 'forever-out.log'))).toBe(false);
  });

  it('passes arguments verbatim, never through a shell', async () => {
    box = new Sandbox();
    const args = ['two words', '"double"', "'single'", '$(touch pwned)', '; touch pwned2', '`id`', '*', ''];
    const spec = fixtureSpec(box.dir, 'prints-args.js', { run: { args } });
    await start(spec);
    const line = await waitFor(() => readText(spec.logs.out!).split('\n')[0] || undefined, 5000, 'args line');
    expect(JSON.parse(line)).toEqual(args);
    expect(existsSync(path.join(box.dir, 'pwned'))).toBe(false);
    expect(existsSync(path.join(box.dir, 'pwned2'))).toBe(false);
  });

  it('runs a script named with spaces and shell characters', async () => {
    box = new Sandbox();
    const spec = fixtureSpec(box.dir, 'forever.js', { run: { script: path.join(box.dir, 'my app; $(x).js') } });
    copyFileSync(path.join(APPS, 'forever.js'), spec.run.script);
    const child = await start(spec);
    await waitFor(() => readText(spec.logs.out!).includes(`started ${child.pid}`), 5000, 'first line');
  });

  it('sets the per-instance variables', async () => {
    box = new Sandbox();
    const spec = fixtureSpec(box.dir, 'prints-env.js', {
      logs: { merge: false },
      run: { env: { PORT: '3000', KEEP: 'me' }, incrementVar: 'PORT' },
    });
    await start(spec, 2, 7);
    const file = path.join(box.dir, 'logs', 'prints-env-out-2.log');
    const line = await waitFor(() => readText(file).split('\n')[0] || undefined, 5000, 'env line');
    expect(JSON.parse(line)).toMatchObject({
      PORT: '3002',
      KEEP: 'me',
      NODE_APP_INSTANCE: '2',
      TEND_ID: '7',
      pm_id: '7',
      TEND_APP_NAME: 'prints-env',
    });
  });

  it('keeps appending at the end after the log is flushed', async () => {
    box = new Sandbox();
    const spec = fixtureSpec(box.dir, 'leaks-memory.js', { run: { env: { LEAK_MB_PER_S: '1', LEAK_CAP_MB: '5' } } });
    await start(spec);
    await waitFor(() => readText(spec.logs.out!).length > 40, 5000, 'some output');
    await flushFile(spec.logs.out!);
    await waitFor(() => readText(spec.logs.out!).includes('holding'), 5000, 'output after flush');
    // With O_APPEND the next write lands at the new end (0), not at the old offset with a hole of NUL bytes before it.
    expect(readText(spec.logs.out!)).toMatch(/^holding/);
  });

  it('rejects with SPAWN_FAILED naming the missing interpreter', async () => {
    box = new Sandbox();
    const spec = fixtureSpec(box.dir, 'forever.js', { name: 'api', run: { interpreter: '/nonexistent/python3' } });
    const error = await spawnInstance({ spec, instance: 0, id: 0 }).catch((e: unknown) => e);
    expect(isTendError(error) && error.code).toBe('SPAWN_FAILED');
    expect((error as Error).message).toBe('cannot start api: /nonexistent/python3 not found (ENOENT)');
  });

  it('tells a missing working directory apart from a missing program', async () => {
    box = new Sandbox();
    const cwd = path.join(box.dir, 'gone');
    const spec = fixtureSpec(box.dir, 'forever.js', { name: 'api', run: { cwd } });
    const error = await spawnInstance({ spec, instance: 0, id: 0 }).catch((e: unknown) => e);
    expect(isTendError(error) && error.code).toBe('SPAWN_FAILED');
    expect((error as Error).message).toBe(`cannot start api: working directory ${cwd} does not exist (ENOENT)`);
  });

  it('writes 100,000 lines to the log complete and in order', async () => {
    box = new Sandbox();
    const spec = fixtureSpec(box.dir, 'counts-lines.js', { run: { env: { LINES: '100000', EXIT_WHEN_DONE: '1' } } });
    const child = await start(spec);
    expect(await child.exited).toEqual({ code: 0, signal: null });
    const lines = readText(spec.logs.out!).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(100_000);
    expect(lines.every((line, i) => line === `line ${i + 1}`)).toBe(true);
  });
});
