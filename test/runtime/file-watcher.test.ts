import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { WatchSpec } from '../../src/config/types.js';
import { watchFiles } from '../../src/runtime/file-watcher.js';
import type { FileWatcher } from '../../src/runtime/file-watcher.js';
import { Sandbox, waitFor } from './helpers.js';

let box: Sandbox;
let watcher: FileWatcher | null = null;
afterEach(async () => {
  await watcher?.close();
  watcher = null;
  expect(await box.cleanup()).toEqual([]);
});

/** Starts a watcher and returns every onChange call it makes. */
async function watchAndCollect(spec: WatchSpec, neverWatch: string[] = []): Promise<string[][]> {
  const calls: string[][] = [];
  watcher = watchFiles(spec, { neverWatch, onChange: (paths) => calls.push(paths), minQuietMs: 100 });
  await watcher.ready;
  return calls;
}

function tree(dir: string, files: string[]): void {
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), 'start');
  }
}

describe('watchFiles', () => {
  it('reports a burst of changes once, with every changed path', async () => {
    box = new Sandbox();
    tree(box.dir, ['a.js', 'b.js', 'lib/c.js']);
    const calls = await watchAndCollect({ paths: [box.dir], ignore: [], delayMs: 0 });
    for (const f of ['a.js', 'b.js', 'lib/c.js']) {
      writeFileSync(path.join(box.dir, f), 'changed');
      await sleep(20);
    }
    writeFileSync(path.join(box.dir, 'lib/new.js'), 'new');
    await waitFor(() => calls.length > 0, 3000, 'a change report');
    await sleep(300);
    expect(calls).toEqual([['a.js', 'b.js', 'lib/c.js', 'lib/new.js'].map((f) => path.join(box.dir, f))]);
  });

  it('never reports node_modules, dot folders, ignored patterns or the log folder', async () => {
    box = new Sandbox();
    tree(box.dir, ['app.js', 'node_modules/dep/index.js', '.git/HEAD', 'logs/app-out.log', 'tmp/cache.bin']);
    const calls = await watchAndCollect({ paths: [box.dir], ignore: ['tmp/**', '*.swp'], delayMs: 0 }, [
      path.join(box.dir, 'logs'),
    ]);
    writeFileSync(path.join(box.dir, 'node_modules/dep/index.js'), 'x');
    writeFileSync(path.join(box.dir, 'node_modules/new.js'), 'x');
    writeFileSync(path.join(box.dir, '.git/HEAD'), 'x');
    writeFileSync(path.join(box.dir, 'logs/app-out.log'), 'a log line');
    writeFileSync(path.join(box.dir, 'logs/app-error.log'), 'a new log');
    writeFileSync(path.join(box.dir, 'tmp/cache.bin'), 'x');
    writeFileSync(path.join(box.dir, '.app.js.swp'), 'x');
    writeFileSync(path.join(box.dir, 'app.js.swp'), 'x');
    await sleep(400);
    expect(calls).toEqual([]);
    writeFileSync(path.join(box.dir, 'app.js'), 'changed');
    await waitFor(() => calls.length > 0, 3000, 'the app change');
    expect(calls).toEqual([[path.join(box.dir, 'app.js')]]);
  });

  it('waits for the quiet time the app asks for', async () => {
    box = new Sandbox();
    tree(box.dir, ['a.js']);
    const calls = await watchAndCollect({ paths: [box.dir], ignore: [], delayMs: 600 });
    const changedAt = Date.now();
    writeFileSync(path.join(box.dir, 'a.js'), 'changed');
    await waitFor(() => calls.length > 0, 3000, 'a change report');
    expect(Date.now() - changedAt).toBeGreaterThanOrEqual(600);
  });

  it('follows a single file through an atomic rename-replace, and ignores its siblings', async () => {
    box = new Sandbox();
    tree(box.dir, ['config.json', 'other.json']);
    const file = path.join(box.dir, 'config.json');
    const calls = await watchAndCollect({ paths: [file], ignore: [], delayMs: 0 });
    writeFileSync(path.join(box.dir, 'other.json'), 'changed');
    // Same content swapped in, as `git checkout` of an unchanged file does: no restart.
    writeFileSync(`${file}.tmp`, 'start');
    renameSync(`${file}.tmp`, file);
    await sleep(400);
    expect(calls).toEqual([]);
    for (const content of ['one', 'two']) {
      writeFileSync(`${file}.tmp`, content);
      renameSync(`${file}.tmp`, file);
      await waitFor(() => calls.length > 0, 3000, `replacement with ${content}`);
      expect(calls).toEqual([[file]]);
      calls.length = 0;
    }
  });
});
