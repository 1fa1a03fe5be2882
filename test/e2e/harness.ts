import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type AddressInfo } from 'node:net';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The built CLI under test; TEND_DIST points at another build (see scripts/build.mjs). */
export const CLI = join(process.env.TEND_DIST ? resolve(process.env.TEND_DIST) : join(ROOT, 'dist'), 'cli.cjs');
export const APPS = join(ROOT, 'test/fixtures/apps');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A private tend: its own home, its own daemon, torn down with every process it started. */
export class TendHarness {
  readonly home: string;
  readonly work: string;

  constructor() {
    this.home = mkdtempSync(join(tmpdir(), 'tend-e2e-'));
    // Apart from the home: tend never watches its home, and apps live elsewhere.
    this.work = mkdtempSync(join(tmpdir(), 'tend-e2e-work-'));
  }

  /** Runs the real CLI as a user would, with NO_COLOR so output is plain. */
  run(
    args: string[],
    options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
  ): Promise<CliResult> {
    return new Promise((resolvePromise) => {
      execFile(
        process.execPath,
        [CLI, ...args],
        {
          cwd: options.cwd ?? this.work,
          env: { ...process.env, TEND_HOME: this.home, NO_COLOR: '1', ...options.env },
          timeout: options.timeoutMs ?? 20_000,
          maxBuffer: 16 * 1024 * 1024,
        },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolvePromise({ code, stdout: String(stdout), stderr: String(stderr) });
        },
      );
    });
  }

  async ok(args: string[], options?: Parameters<TendHarness['run']>[1]): Promise<CliResult> {
    const result = await this.run(args, options);
    if (result.code !== 0)
      throw new Error(`tend ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
    return result;
  }

  async list(): Promise<ListedProcess[]> {
    const result = await this.ok(['ls', '--json']);
    return JSON.parse(result.stdout) as ListedProcess[];
  }

  /** Polls `tend ls --json` until the predicate holds; fails with the last list when it does not in time. */
  async waitFor(
    predicate: (list: ListedProcess[]) => boolean,
    timeoutMs = 10_000,
    what = 'condition',
  ): Promise<ListedProcess[]> {
    const deadline = Date.now() + timeoutMs;
    let last: ListedProcess[] = [];
    while (Date.now() < deadline) {
      last = await this.list();
      if (predicate(last)) return last;
      await sleep(100);
    }
    throw new Error(
      `timed out waiting for ${what}; last list: ${JSON.stringify(last.map((p) => ({ name: p.name, i: p.instance, status: p.status, pid: p.pid, restarts: p.restarts })))}`,
    );
  }

  write(name: string, content: string): string {
    const file = join(this.work, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    return file;
  }

  daemonPid(): number | null {
    try {
      return Number(readFileSync(join(this.home, 'daemon.pid'), 'utf8').trim()) || null;
    } catch {
      return null;
    }
  }

  /** Kills the daemon and every process that belongs to this home, then removes the home. */
  async teardown(): Promise<void> {
    await this.run(['kill'], { timeoutMs: 10_000 }).catch(() => undefined);
    for (const pid of processesOfHome(this.home)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    rmSync(this.home, { recursive: true, force: true });
    rmSync(this.work, { recursive: true, force: true });
  }
}

export interface ListedProcess {
  id: number;
  name: string;
  instance: number;
  pid: number | null;
  status: string;
  restarts: number;
  uptime_ms: number;
  memory: number;
  exit_code: number | null;
  restart_reason: string | null;
  pm_out_log_path: string | null;
  pm_err_log_path: string | null;
  metrics?: Record<string, number> | null;
  log_problem?: string | null;
}

/** Every live process whose environment names this home (the daemon and the apps it started). */
export function processesOfHome(home: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
      if (environ.split('\0').includes(`TEND_HOME=${home}`)) pids.push(Number(entry));
    } catch {
      // Gone or not ours.
    }
  }
  return pids;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(stat);
  } catch {
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls a condition on files or processes (not the CLI) until it gives a value; a throw counts as not yet. */
export async function until<T>(probe: () => T | undefined | false, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let value: T | undefined | false;
    try {
      value = probe();
    } catch {
      value = undefined;
    }
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export function fixture(name: string): string {
  return join(APPS, name);
}

export function psTree(): string {
  return spawnSync('ps', ['-eo', 'pid,ppid,pgid,args'], { encoding: 'utf8' }).stdout;
}

/** A port nobody listens on right now (the kernel picks it), so parallel test files never collide. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
