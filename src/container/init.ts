import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Set in the environment of the tend-runtime that runs under tini, so it does not start another one. */
export const UNDER_INIT_VAR = 'TEND_RUNTIME_UNDER_INIT';

/** Where Debian's tini package (and the tini-static one, and a copy put in /usr/local) installs it. */
const TINI_PATHS = ['/usr/bin/tini', '/sbin/tini', '/usr/local/bin/tini', '/usr/bin/tini-static'];

/** The signals passed on to tini, which passes them on to tend-runtime. */
const FORWARDED: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

/**
 * Whether this process must hand over to tini: as PID 1 it inherits every orphan of the container, and Node can
 * reap only the children it spawned itself (it has no waitpid(-1)), so an app that double-forks would leave zombies.
 */
export function needsInit(pid: number, env: NodeJS.ProcessEnv): boolean {
  return pid === 1 && env[UNDER_INIT_VAR] !== '1';
}

/** tini's path, or null when it is not installed. */
export function findTini(): string | null {
  return TINI_PATHS.find((path) => existsSync(path)) ?? null;
}

/**
 * Runs tend-runtime again under `tini -s` (a child subreaper: every orphan below it is reparented to it and reaped)
 * and stays PID 1 only to pass signals on and exit as tend-runtime does. No orphan reaches PID 1 any more: they
 * are all tini's descendants.
 */
export function runUnderTini(tini: string, args: readonly string[]): void {
  const child = spawn(tini, ['-s', '--', process.execPath, ...process.execArgv, process.argv[1]!, ...args], {
    stdio: 'inherit',
    env: { ...process.env, [UNDER_INIT_VAR]: '1' },
  });
  for (const signal of FORWARDED) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    process.stderr.write(`tend-runtime: cannot start ${tini}: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + signalNumber(signal)));
}

function signalNumber(signal: NodeJS.Signals | null): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = {
    SIGHUP: 1,
    SIGINT: 2,
    SIGQUIT: 3,
    SIGKILL: 9,
    SIGTERM: 15,
  };
  return (signal && numbers[signal]) ?? 1;
}
