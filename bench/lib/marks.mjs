// Reading the timestamps the test apps write (bench/apps/marks.js).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { sleep } from './procs.mjs';

/** Every `<what> <time>` line of a marks file, in order. */
export function readMarks(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [what, at] = line.split(' ');
      return { what, at: Number(at) };
    });
}

/** Tells the apps waiting in whenGo() to start their measured part. */
export function go(file) {
  writeFileSync(file, '');
}

/** Polls a condition on the marks file (a file read every 5 ms, never a CLI call); null when time runs out. */
export async function waitForMarks(file, predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const marks = readMarks(file);
    if (predicate(marks)) return marks;
    if (Date.now() > deadline) return null;
    await sleep(5);
  }
}
