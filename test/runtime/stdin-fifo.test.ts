import { lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnInstance } from '../../src/runtime/spawn-instance.js';
import { openStdinFifo, stdinFifoPath, stdinIsFifo, writeToFifo } from '../../src/runtime/stdin-fifo.js';
import { fixtureSpec, isRunning, readText, Sandbox, waitFor } from './helpers.js';

let box: Sandbox;
afterEach(async () => {
  expect(await box.cleanup()).toEqual([]);
});

describe('the stdin FIFO of a fork-mode instance', () => {
  it('is made on first use for many ids at once (mode 0600), replaces a stray file, and is reused', async () => {
    box = new Sandbox();
    const paths = Array.from({ length: 20 }, (_, id) => stdinFifoPath(box.dir, id));
    mkdirSync(path.dirname(paths[3]!));
    writeFileSync(paths[3]!, 'not a fifo');
    const handles = await Promise.all(paths.map((p) => openStdinFifo(p)));
    expect(handles.every((h) => h !== null)).toBe(true);
    for (const p of paths) {
      expect(lstatSync(p).isFIFO()).toBe(true);
      expect(lstatSync(p).mode & 0o777).toBe(0o600);
    }
    const inode = lstatSync(paths[0]!).ino;
    await Promise.all(handles.map((h) => h!.close()));
    const again = await openStdinFifo(paths[0]!);
    expect(lstatSync(paths[0]!).ino).toBe(inode);
    await again!.close();
  });

  it('carries lines to the app; never an end of input; refused once the app is gone, or when it does not read', async () => {
    box = new Sandbox();
    const fifo = stdinFifoPath(box.dir, 7);
    const spec = fixtureSpec(box.dir, 'echoes-stdin.js');
    const child = await spawnInstance({ spec, instance: 0, id: 7, stdinFifo: fifo });
    box.track(child.pid);
    await waitFor(() => readText(spec.logs.out!).includes('echoes-stdin started'), 5000, 'the app to start');
    expect(stdinIsFifo(child.pid, fifo)).toBe(true);
    expect(writeToFifo(fifo, 'one\ntwo\n')).toEqual({ ok: true, bytes: 8 });
    await waitFor(() => readText(spec.logs.out!).includes('got: one\ngot: two\n'), 5000, 'the lines echoed');
    // Nobody else has it open for writing, yet the app reads no end of input: it holds a writer itself.
    await new Promise((r) => setTimeout(r, 200));
    expect(readText(spec.logs.out!)).not.toContain('stdin ended');
    process.kill(child.pid, 'SIGKILL');
    await waitFor(() => !isRunning(child.pid), 5000, 'the app to exit');
    expect(writeToFifo(fifo, 'late\n')).toMatchObject({ ok: false, bytes: 0, reason: 'no-reader' });

    // An app that never reads its stdin: the pipe fills, and the rest is refused at once instead of blocking.
    const deaf = fixtureSpec(box.dir, 'forever.js');
    const quiet = await spawnInstance({ spec: deaf, instance: 0, id: 8, stdinFifo: stdinFifoPath(box.dir, 8) });
    box.track(quiet.pid);
    const result = writeToFifo(stdinFifoPath(box.dir, 8), 'x'.repeat(1024 * 1024));
    expect(result).toMatchObject({ ok: false, reason: 'full' });
    expect(result.bytes).toBeGreaterThan(0);
    expect(result.bytes).toBeLessThan(1024 * 1024);
  });

  it('without a FIFO the stdin is not one: an instance started that way is told apart', async () => {
    box = new Sandbox();
    const spec = fixtureSpec(box.dir, 'forever.js');
    const child = await spawnInstance({ spec, instance: 0, id: 1 });
    box.track(child.pid);
    expect(stdinIsFifo(child.pid, path.join(box.dir, 'stdin', '1'))).toBe(false);
  });
});
