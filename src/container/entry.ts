#!/usr/bin/env node
// dist/runtime.cjs, the `tend-runtime` bin. This file stays small and loads the runtime only when it is the one to
// run: as a container's PID 1 it first hands over to tini (src/container/init.ts), and that PID 1 never needs the rest.
// The runtime comes in two bundles, each run with the code V8 compiled for it in an earlier run (src/core/code-cache.ts):
// dist/runtime-main.cjs (src/container/main.ts: the file read, checked, and its apps started) and, once they are,
// dist/runtime-daemon.cjs (src/container/supervise.ts: the daemon that takes them over).
import { join } from 'node:path';
import { requireWithCodeCache, userCodeCacheDir } from '../core/code-cache.js';
import { findTini, needsInit, runUnderTini } from './init.js';

/** Bundled beside this file by scripts/build.mjs; in a variable so that esbuild leaves it alone. */
const RUNTIME_MAIN = 'runtime-main.cjs';

const args = process.argv.slice(2);
const tini = needsInit(process.pid, process.env) ? findTini() : null;
if (tini !== null) runUnderTini(tini, args);
else {
  const saves: Array<() => void> = [];
  const requireBundle = <T>(name: string): T => {
    const loaded = requireWithCodeCache(join(__dirname, name), userCodeCacheDir());
    saves.push(loaded.save);
    return loaded.exports as T;
  };
  const runtime = requireBundle<typeof import('./main.js')>(RUNTIME_MAIN);
  const saveCodeCache = (): void => {
    for (const save of saves) save();
  };
  void runtime
    .main(args, { reaping: !needsInit(process.pid, process.env), requireBundle, saveCodeCache })
    .then((code) => runtime.exitWhenFlushed(code));
}
