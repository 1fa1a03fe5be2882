import type { DeployTarget } from '../config/index.js';

/** One host of a target, as ssh reaches it. */
export interface DeployHost {
  /** As written in the file: what prefixes the host's lines and names it in the summary. */
  label: string;
  /** `user@host` or `host`. */
  destination: string;
  port?: number;
}

/**
 * Reads `web1`, `deploy@web1`, `web1:2222`, `[::1]:2222` into ssh's destination and port; the host's own user and port
 * win over the target's `user` and `port`.
 */
export function deployHost(written: string, target: Pick<DeployTarget, 'user' | 'port'>): DeployHost {
  const at = written.lastIndexOf('@');
  const user = at >= 0 ? written.slice(0, at) : target.user;
  let host = at >= 0 ? written.slice(at + 1) : written;
  let port = target.port;
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(host);
  const withPort = /^([^:]+):(\d{1,5})$/.exec(host);
  if (bracketed) {
    host = bracketed[1]!;
    if (bracketed[2] !== undefined) port = Number(bracketed[2]);
  } else if (withPort) {
    host = withPort[1]!;
    port = Number(withPort[2]);
  }
  return {
    label: written,
    destination: user === undefined ? host : `${user}@${host}`,
    ...(port === undefined ? {} : { port }),
  };
}

/**
 * ssh's arguments for one host, then `sh -s` reads the script on stdin. BatchMode comes first, so no option of the
 * file can turn prompts back on (ssh keeps the first value it is given); ConnectTimeout comes after the file's, so
 * one there wins. `--` keeps a destination from ever being read as an option.
 */
export function sshArguments(host: DeployHost, target: Pick<DeployTarget, 'key' | 'sshOptions'>): string[] {
  return [
    '-o',
    'BatchMode=yes',
    '-T',
    ...(host.port === undefined ? [] : ['-p', String(host.port)]),
    ...(target.key === undefined ? [] : ['-i', target.key]),
    ...target.sshOptions.flatMap((option) => ['-o', option]),
    '-o',
    'ConnectTimeout=15',
    '--',
    host.destination,
    'sh -s',
  ];
}
