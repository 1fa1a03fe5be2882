import { join } from 'node:path';
import { shWord } from './quote.js';
import { headerLines, OPEN_FILES_LIMIT, type StartupSpec, tendCommand } from './spec.js';

/**
 * The OpenRC service script: `start` is `tend resurrect`, `stop` is `tend kill`, each run as the user through `su`
 * (util-linux and busybox both pass the words after `-c CMD` to it as $0, $1, …, so no path is quoted twice).
 * `rc_ulimit` raises the open-files limit for tend and its apps. OpenRC does not follow the detached daemon: a crashed
 * daemon comes back with the next `tend` command.
 */
export function renderOpenrcScript(spec: StartupSpec): string {
  const run = ['env', `TEND_HOME=${spec.tendHome}`, `PATH=${spec.path}`, ...tendCommand(spec)];
  return [
    '#!/sbin/openrc-run',
    ...headerLines(spec).map((text) => `# ${text}`),
    '',
    `description=${shWord(`tend process manager for ${spec.user}`)}`,
    `pidfile=${shWord(join(spec.tendHome, 'daemon.pid'))}`,
    `rc_ulimit=${shWord(`-n ${OPEN_FILES_LIMIT}`)}`,
    '',
    'depend() {',
    '\tneed net',
    '\tuse dns logger',
    '}',
    '',
    '# tend_run VERB: runs `tend VERB` as the user, with its TEND_HOME and PATH.',
    'tend_run() {',
    `\tsu -s /bin/sh ${shWord(spec.user)} -c 'exec "$0" "$@"' ${run.map(shWord).join(' ')} "$1"`,
    '}',
    '',
    'start() {',
    `\tebegin ${shWord(`Starting tend for ${spec.user}`)}`,
    // As systemd's `-` on ExecStart: an app that does not come up is not a failure of the service, a daemon that does
    // not answer is.
    `\ttend_run resurrect || ewarn ${shWord('some saved apps did not come up: see `tend ls`')}`,
    '\ttend_run ping >/dev/null',
    '\teend $?',
    '}',
    '',
    'stop() {',
    `\tebegin ${shWord(`Stopping tend and its apps for ${spec.user}`)}`,
    '\ttend_run kill',
    '\teend $?',
    '}',
    '',
  ].join('\n');
}

/** /etc/init.d/<name>. */
export function openrcScriptFile(spec: StartupSpec, dir: string | undefined): string {
  return join(dir ?? '/etc/init.d', spec.serviceName);
}
