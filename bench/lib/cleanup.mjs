// Leaves no process behind: each tool's own kill first, then every pid that still carries this run's marks.
import { rmSync } from 'node:fs';
import { alive, pidsWithEnv, sleep } from './procs.mjs';

const stoppers = new Set();
let markers = [];
let root = null;
let cleaning = null;

/** The run's root folder (every home and work folder lives under it) and the env marks its processes carry. */
export function setRunScope(runRoot, envMarkers) {
  root = runRoot;
  markers = envMarkers;
}

/** A tool's orderly shutdown (`pm2 kill`, `tend kill`); returns a function that drops it once done. */
export function onCleanup(stop) {
  stoppers.add(stop);
  return () => stoppers.delete(stop);
}

/** Stops what the tools know, then SIGKILLs whatever still has the run's marks in its environment. */
export async function killLeftovers() {
  const stops = [...stoppers];
  stoppers.clear();
  await Promise.allSettled(stops.map((stop) => stop()));
  return killMarked();
}

/** SIGKILL to every process still alive with one of these env marks (default: the run's); returns how many survived. */
export async function killMarked(marks = markers) {
  let pids = pidsWithEnv(marks);
  for (let round = 0; round < 3 && pids.length > 0; round++) {
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    await sleep(100);
    pids = pidsWithEnv(marks).filter(alive);
  }
  return pids.length;
}

/** Full cleanup at the end of the run or on an interrupt; safe to call twice. */
export function cleanupAll({ keepRoot = false } = {}) {
  cleaning ??= (async () => {
    const left = await killLeftovers();
    if (root && !keepRoot) rmSync(root, { recursive: true, force: true });
    return left;
  })();
  return cleaning;
}

/** Ctrl-C or a CI timeout still ends with both daemons and every app gone. */
export function installSignalHandlers() {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ]) {
    process.on(signal, () => {
      process.stderr.write(`\nbench: ${signal}, stopping every process of this run...\n`);
      const hardStop = setTimeout(() => process.exit(code), 20_000);
      cleanupAll().finally(() => {
        clearTimeout(hardStop);
        process.exit(code);
      });
    });
  }
}
