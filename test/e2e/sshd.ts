import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort, sleep } from './harness.js';

export const SSHD = '/usr/sbin/sshd';

/** Whether this machine can run the ssh tests: an sshd, an ssh client, and root (sshd's privilege separation). */
export function canRunSshd(): boolean {
  return (
    process.getuid?.() === 0 &&
    existsSync(SSHD) &&
    spawnSync('ssh', ['-V'], { encoding: 'utf8' }).status === 0 &&
    spawnSync('ssh-keygen', ['-?'], { encoding: 'utf8' }).error === undefined
  );
}

/** A throwaway ed25519 key pair in `dir`: the private key's path (the public key is beside it, `.pub`). */
export function makeKey(dir: string, name: string): string {
  const file = join(dir, name);
  const made = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`ssh-keygen failed: ${made.stderr}`);
  return file;
}

/** One real sshd on 127.0.0.1 that lets in the client key as root, and gives each session `env` (sshd's SetEnv). */
export interface TestSshd {
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `sshd -D -e` with a config of its own in `dir`: a throwaway host key, `authorizedKey` as the only way in,
 * no PAM, no strict modes. `env` is set in every session (HOME too: that is how two sshds on one machine look like
 * two hosts, each with its own `~`).
 */
export async function startSshd(
  dir: string,
  hostKey: string,
  authorizedKey: string,
  env: Record<string, string>,
): Promise<TestSshd> {
  // sshd refuses to start without its privilege separation folder; a container may not have it.
  mkdirSync('/run/sshd', { recursive: true });
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const authorized = join(dir, 'authorized_keys');
  writeFileSync(authorized, readFileSync(`${authorizedKey}.pub`));
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${authorized}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'UsePAM no',
      'StrictModes no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      `SetEnv ${Object.entries(env)
        .map(([key, value]) => `${key}=${value}`)
        .join(' ')}`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const deadline = Date.now() + 10_000;
  while (!(await listening(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`sshd did not start on port ${port}: ${stderr}`);
    }
    await sleep(50);
  }
  return {
    port,
    pid: child.pid!,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
