#!/usr/bin/env node
// dist/runtime.cjs, the `tend-runtime` bin. This file stays small and loads the runtime only when it is the one to
// run: as a container's PID 1 it first hands over to tini (src/container/init.ts), and that PID 1 never needs the rest.
import { findTini, needsInit, runUnderTini } from './init.js';

const args = process.argv.slice(2);
const tini = needsInit(process.pid, process.env) ? findTini() : null;
if (tini !== null) runUnderTini(tini, args);
else
  void import('./main.js').then((runtime) =>
    runtime.main(args, { reaping: !needsInit(process.pid, process.env) }).then((code) => runtime.exitWhenFlushed(code)),
  );
