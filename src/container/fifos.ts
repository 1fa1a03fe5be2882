import { spawn } from 'node:child_process';
import { lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { TendError } from '../core/errors.js';

/** The FIFOs of a run: the console's (made anew) and the apps' stdin (a FIFO already there is kept, as a daemon keeps it). */
export interface RunFifos {
  console: readonly string[];
  stdin: readonly string[];
}

/**
 * Makes the FIFOs, replacing whatever a previous run left at the console's paths and whatever is not a FIFO at the
 * stdin paths. Node has no mkfifo: coreutils' `mkfifo` makes them all in one run, once per start. A process start
 * costs tens of ms on a loaded machine, so the stdin FIFOs of the first apply come in the same run, and the apply
 * (runtime/stdin-fifo.ts) finds them made instead of running `mkfifo` again on the way to the app's fork.
 */
export async function makeFifos(dir: string, fifos: RunFifos): Promise<void> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const fifo of fifos.console) removeIfThere(fifo);
  const stdin = fifos.stdin.filter((fifo) => !isFifo(fifo));
  for (const fifo of stdin) removeIfThere(fifo);
  for (const folder of new Set(stdin.map((fifo) => dirname(fifo)))) mkdirSync(folder, { recursive: true, mode: 0o700 });
  const missing = [...fifos.console, ...stdin];
  if (missing.length === 0) return;
  const failure = await new Promise<string | null>((done) => {
    const mkfifo = spawn('mkfifo', ['-m', '600', '--', ...missing], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    mkfifo.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    mkfifo.once('error', (error) => done(error.message));
    mkfifo.once('close', (code) => done(code === 0 ? null : stderr.trim() || `exit code ${code}`));
  });
  if (failure !== null)
    throw new TendError(
      'SPAWN_FAILED',
      `cannot make the FIFOs that carry the apps' output to this process (mkfifo: ${failure})`,
    );
}

/** Removes the FIFOs once the apps are gone: nothing of the run stays in the home. */
export function removeFifos(fifos: readonly string[]): void {
  for (const fifo of fifos) removeIfThere(fifo);
}

function isFifo(file: string): boolean {
  try {
    return lstatSync(file).isFIFO();
  } catch {
    return false;
  }
}

function removeIfThere(file: string): void {
  try {
    lstatSync(file);
    unlinkSync(file);
  } catch {
    // Not there.
  }
}
