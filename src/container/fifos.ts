import { spawn } from 'node:child_process';
import { lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { TendError } from '../core/errors.js';

/**
 * Makes the FIFOs, replacing whatever a previous run left at those paths. Node has no mkfifo: coreutils' `mkfifo`
 * makes them all in one run, once per start, while the daemon is being set up (not before it: a synchronous spawn
 * would hold everything up by a process start).
 */
export async function makeFifos(dir: string, fifos: readonly string[]): Promise<void> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (fifos.length === 0) return;
  for (const fifo of fifos) removeIfThere(fifo);
  const failure = await new Promise<string | null>((done) => {
    const mkfifo = spawn('mkfifo', ['-m', '600', '--', ...fifos], { stdio: ['ignore', 'ignore', 'pipe'] });
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

function removeIfThere(file: string): void {
  try {
    lstatSync(file);
    unlinkSync(file);
  } catch {
    // Not there.
  }
}
