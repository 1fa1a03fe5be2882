import { spawn } from 'node:child_process';
import type { RemoteExit, RunRemote } from './deploy-hosts.js';
import { LineSplitter } from './line-splitter.js';

/**
 * The edge of `tend deploy`: the system's ssh, the script on its stdin (`sh -s` on the host), each line of its output
 * handed over as it comes. No shell runs here: the arguments go to ssh as they are.
 */
export const runSsh: RunRemote = (args, script, onLine) => runWithInput('ssh', args, script, onLine);

/**
 * `pre-deploy-local`: the hook runs here, once, in the ecosystem file's folder, with the target's `env` over ours.
 * Its output is handed over line by line as ssh's is.
 */
export function runLocalHook(
  command: string,
  cwd: string,
  env: Record<string, string>,
  onLine: (stream: 'stdout' | 'stderr', line: string) => void,
): Promise<RemoteExit> {
  return runWithInput('sh', ['-c', command], '', onLine, { cwd, env: { ...process.env, ...env } });
}

function runWithInput(
  program: string,
  args: string[],
  input: string,
  onLine: (stream: 'stdout' | 'stderr', line: string) => void,
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<RemoteExit> {
  return new Promise((resolve) => {
    const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'], ...options });
    const out = new LineSplitter((line) => onLine('stdout', line));
    const err = new LineSplitter((line) => onLine('stderr', line));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => out.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => err.push(chunk));
    // The host may end before it has read all of the script (a failed login): that is its exit code's to say.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
    child.on('error', (error: NodeJS.ErrnoException) => {
      resolve({
        code: null,
        error: error.code === 'ENOENT' ? `${program} is not installed (or not on PATH)` : error.message,
      });
    });
    child.on('close', (code) => {
      out.end();
      err.end();
      resolve({ code });
    });
  });
}
