import type { DeployTarget } from '../config/index.js';
import type { DeployAction } from './action.js';
import { OUTCOME_MARK, remoteScript } from './remote-script.js';
import { type DeployHost, deployHost, sshArguments } from './ssh-arguments.js';

/** How one host's part ended, for the summary. */
export interface HostOutcome {
  label: string;
  ok: boolean;
  /** What the host said it did (`current 20261206-1a2b3c4`) or why it failed. */
  message: string;
}

/** The end of one ssh run: its exit code (null when killed or never started) and, if it never started, why. */
export interface RemoteExit {
  code: number | null;
  error?: string;
}

/** The ssh edge (deploy/ssh.ts): runs ssh with these arguments, the script on its stdin, and hands over each line. */
export type RunRemote = (
  args: string[],
  script: string,
  onLine: (stream: 'stdout' | 'stderr', line: string) => void,
) => Promise<RemoteExit>;

/**
 * Runs the action on every host of the target at once; each line a host prints is handed to `print` with the host's
 * label in front. Resolves once every host has ended, with each one's outcome in the file's order.
 */
export function deployToHosts(
  target: DeployTarget,
  action: DeployAction,
  runRemote: RunRemote,
  print: (line: string, stream: 'stdout' | 'stderr') => void,
): Promise<HostOutcome[]> {
  const hosts = target.hosts.map((written) => deployHost(written, target));
  const width = Math.max(...hosts.map((host) => host.label.length));
  const script = remoteScript(target, action);
  return Promise.all(hosts.map((host) => runOnHost(host, width, target, script, runRemote, print)));
}

async function runOnHost(
  host: DeployHost,
  width: number,
  target: DeployTarget,
  script: string,
  runRemote: RunRemote,
  print: (line: string, stream: 'stdout' | 'stderr') => void,
): Promise<HostOutcome> {
  const prefix = `${host.label.padEnd(width)} | `;
  let said: { ok: boolean; message: string } | undefined;
  let lastError = '';
  const exit = await runRemote(sshArguments(host, target), script, (stream, line) => {
    const outcome = outcomeOf(line);
    if (outcome) {
      said = outcome;
      if (!outcome.ok) print(`${prefix}error: ${outcome.message}`, 'stderr');
      return;
    }
    if (stream === 'stderr' && line.trim() !== '') lastError = line.trim();
    print(`${prefix}${line}`, stream);
  });
  return { label: host.label, ...judge(exit, said, lastError) };
}

/** Reads a line the remote script printed to say how it ended. */
export function outcomeOf(line: string): { ok: boolean; message: string } | undefined {
  if (!line.startsWith(`${OUTCOME_MARK} `)) return undefined;
  const rest = line.slice(OUTCOME_MARK.length + 1);
  const space = rest.indexOf(' ');
  const word = space < 0 ? rest : rest.slice(0, space);
  const message = space < 0 ? '' : rest.slice(space + 1);
  if (word === 'ok') return { ok: true, message };
  if (word === 'failed') return { ok: false, message };
  return undefined;
}

/** A host succeeded only when ssh exited 0 and the script said ok: a cut connection is a failure. */
export function judge(
  exit: RemoteExit,
  said: { ok: boolean; message: string } | undefined,
  lastError: string,
): { ok: boolean; message: string } {
  if (exit.error !== undefined) return { ok: false, message: exit.error };
  if (said && !said.ok) return said;
  if (exit.code === 0 && said?.ok) return said;
  const detail = lastError ? `: ${lastError}` : '';
  if (exit.code === 255) return { ok: false, message: `ssh failed (exit 255)${detail}` };
  if (exit.code === null) return { ok: false, message: `ssh was killed${detail}` };
  return { ok: false, message: `the remote script ended with code ${exit.code} before it finished${detail}` };
}

/** The closing lines: one per host, ok or failed, with what it said. */
export function formatSummary(outcomes: readonly HostOutcome[]): string[] {
  const width = Math.max(...outcomes.map((outcome) => outcome.label.length));
  return outcomes.map(
    (outcome) => `${outcome.label.padEnd(width)}  ${outcome.ok ? 'ok    ' : 'FAILED'}  ${outcome.message}`,
  );
}
