import { spawn } from 'node:child_process';
import { splitArgs } from '../../config/units.js';
import { type CheckOutcome, errorWords, shortDuration } from './outcome.js';

/** Most bytes of a check command's output kept for its message. */
const OUTPUT_TAIL_BYTES = 200;

/**
 * Shell syntax a plain split into words would get wrong: pipes, redirections, lists, substitutions, globs, a leading
 * `VAR=value`. A command without it runs without a shell (one process less, no quoting surprises).
 */
const SHELL_SYNTAX = /[|&;<>()$`*?[\]{}~#\n]|^\s*[A-Za-z_][A-Za-z0-9_]*=/;

/** How a check command is run: its words, or `/bin/sh -c` when it has shell syntax. */
export function commandArgv(command: string): string[] {
  return SHELL_SYNTAX.test(command) ? ['/bin/sh', '-c', command] : splitArgs(command);
}

/** Where and as whom the command runs: the app's cwd, environment and user. */
export interface ExecPlace {
  cwd: string;
  env: Record<string, string>;
  uid?: number;
  gid?: number;
}

/**
 * Runs `command` and passes when it exits 0 within `timeoutMs`; past that its whole process group is SIGKILLed and the
 * check fails. The message carries the end of what it printed, which usually says why.
 */
export function execCheck(command: string, place: ExecPlace, timeoutMs: number): Promise<CheckOutcome> {
  const [file, ...args] = commandArgv(command);
  return new Promise((resolve) => {
    let settled = false;
    let output = '';
    const finish = (outcome: CheckOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const child = spawn(file ?? '', args, {
      cwd: place.cwd,
      env: place.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own group, so a timeout kills what a shell started too.
      detached: true,
      ...(place.uid !== undefined ? { uid: place.uid } : {}),
      ...(place.gid !== undefined ? { gid: place.gid } : {}),
    });
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_BYTES);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const timer = setTimeout(() => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      finish({ ok: false, message: `\`${command}\` timed out after ${shortDuration(timeoutMs)}` });
    }, timeoutMs);
    child.once('error', (err) => finish({ ok: false, message: `\`${command}\`: ${errorWords(err)}` }));
    child.once('close', (code, signal) => {
      const said = output.trim().split('\n').pop()?.trim();
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      finish({ ok: code === 0, message: `\`${command}\` ${how}${said ? `: ${said}` : ''}` });
    });
  });
}
