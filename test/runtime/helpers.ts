// Shared by the runtime tests: real fixture apps in temp folders, and teardown that proves nothing is left running.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppSpec } from '../../src/config/types.js';
import { isExited, listProcesses } from '../../src/runtime/process-tree.js';
import { makeSpec } from '../fixtures/specs.js';
import type { SpecOverrides } from '../fixtures/specs.js';

export const APPS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/apps');

/** A spec that runs one fixture app with node, its logs in `dir`. */
export function fixtureSpec(dir: string, app: string, overrides: SpecOverrides = {}): AppSpec {
  const name = overrides.name ?? app.replace(/\.js$/, '');
  return makeSpec(name, {
    ...overrides,
    run: {
      script: path.join(APPS, app),
      interpreter: process.execPath,
      cwd: dir,
      env: { PATH: process.env.PATH ?? '' },
      ...overrides.run,
    },
    logs: {
      out: path.join(dir, 'logs', `${name}-out.log`),
      err: path.join(dir, 'logs', `${name}-error.log`),
      ...overrides.logs,
    },
  });
}

/** Polls until `check` returns a value other than undefined/false, or fails after timeoutMs. */
export async function waitFor<T>(check: () => T | undefined | false, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** True while the pid runs (zombies count as gone: they hold nothing). */
export function isRunning(pid: number): boolean {
  const entry = listProcesses().get(pid);
  return entry !== undefined && !isExited(entry);
}

/** Temp folders and pids a test created; `cleanup` kills what is left and fails if anything survives. */
export class Sandbox {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'tend-runtime-'));
  private readonly pids = new Set<number>();

  track(...pids: number[]): void {
    for (const pid of pids) this.pids.add(pid);
  }

  /** Pids found later (a grandchild's pid from a file). */
  trackFromFile(file: string): number {
    const pid = Number(readText(file).trim());
    if (!Number.isInteger(pid) || pid <= 1) throw new Error(`no pid in ${file}`);
    this.track(pid);
    return pid;
  }

  /** Kills every tracked pid and its group; returns the pids still running after 3 s (a test asserts it is empty). */
  async cleanup(): Promise<number[]> {
    for (const pid of this.pids) {
      for (const target of [-pid, pid]) {
        try {
          process.kill(target, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
    const alive = (): number[] => [...this.pids].filter(isRunning);
    await waitFor(() => alive().length === 0, 3000, 'tracked processes to exit').catch(() => undefined);
    const left = alive();
    this.pids.clear();
    rmSync(this.dir, { recursive: true, force: true });
    return left;
  }
}
