import { constants } from 'node:os';
import type { ProcessRef } from '../../api/process-verbs.js';
import { TendError } from '../../core/errors.js';
import { withDaemon } from '../context.js';
import { paint, useColor } from '../output.js';
import { selectFromList, toSelection, toSingleTarget } from '../selectors.js';

/** PM2's small verbs on running processes: reset, sendSignal, env, pid, id, send, cleardump, plus/link. */

const who = (p: ProcessRef): string => `${p.name}[${p.instance}] (id ${p.id}${p.pid === null ? '' : `, pid ${p.pid}`})`;

/** `tend reset api`: restart counters, unstable restarts and uptime back to zero (PM2's `reset`). */
export async function resetCommand(targets: string[]): Promise<number> {
  const selection = await toSelection(targets);
  const views = await withDaemon((client) => client.call('reset', selection));
  for (const v of views)
    process.stdout.write(`reset ${who(v)}: restarts ${v.restarts}, unstable restarts ${v.unstable_restarts}\n`);
  return 0;
}

/** `usr2`, `SIGUSR2`, `12` → `SIGUSR2`; anything else is a USAGE error. */
export function signalName(given: string): NodeJS.Signals {
  const signals = constants.signals as Record<string, number>;
  if (/^\d+$/.test(given)) {
    const found = Object.keys(signals).find((name) => signals[name] === Number(given));
    if (found) return found as NodeJS.Signals;
  } else {
    const upper = given.toUpperCase();
    const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
    if (Object.hasOwn(signals, name)) return name as NodeJS.Signals;
  }
  throw new TendError('USAGE', `\`${given}\` is not a signal; give a name such as SIGUSR2 (or USR2) or a number`);
}

/** `tend sendSignal SIGUSR2 api`: the signal to each process's main pid; exit 1 if any could not be sent. */
export async function sendSignalCommand(signal: string, targets: string[]): Promise<number> {
  const name = signalName(signal);
  const selection = await toSelection(targets);
  const outcomes = await withDaemon((client) => client.call('sendSignal', { ...selection, signal: name }));
  for (const o of outcomes) {
    if (o.sent) process.stdout.write(`sent ${name} to ${who(o)}\n`);
    else process.stderr.write(`tend: ${name} not sent to ${who(o)}: ${o.error ?? 'failed'}\n`);
  }
  return outcomes.every((o) => o.sent) ? 0 : 1;
}

/** `tend env 0`: every variable the process starts with, `KEY: value` as PM2 prints them, secrets masked. */
export async function envCommand(target: string, options: { json?: boolean; showSecrets?: boolean }): Promise<number> {
  const one = await toSingleTarget(target);
  const views = await withDaemon((client) => client.call('env', { ...one, showSecrets: options.showSecrets === true }));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(views, null, 2)}\n`);
    return 0;
  }
  const color = useColor();
  const blocks = views.map((v) => {
    const head = views.length > 1 ? [paint(`── ${who(v)}`, 'bold', color)] : [];
    return [...head, ...Object.entries(v.env).map(([key, value]) => `${key}: ${value}`)].join('\n');
  });
  process.stdout.write(`${blocks.join('\n\n')}\n`);
  const masked = new Set(views.flatMap((v) => v.masked));
  if (masked.size > 0)
    process.stderr.write(
      `(${[...masked].join(', ')} masked because the name looks secret; --show-secrets shows ${masked.size === 1 ? 'it' : 'them'})\n`,
    );
  return 0;
}

/** `tend pid [api]`: the pid of each running process (all of them without a target), one a line; none for a stopped one. */
export async function pidCommand(target: string | undefined): Promise<number> {
  const views = await selectFromList(target === undefined ? ['all'] : [target]).catch((err: unknown) => {
    // No process at all: nothing to print, as PM2.
    if (target === undefined) return [];
    throw err;
  });
  for (const v of views) if (v.pid !== null) process.stdout.write(`${v.pid}\n`);
  return 0;
}

/** `tend id api`: the id of each process of the target, one a line. */
export async function idCommand(target: string): Promise<number> {
  for (const v of await selectFromList([target])) process.stdout.write(`${v.id}\n`);
  return 0;
}

/** `tend send 0 some line`: the words joined by spaces, then a newline, to the process's stdin. */
export async function sendCommand(target: string, words: string[]): Promise<number> {
  const one = await toSingleTarget(target);
  const outcomes = await withDaemon((client) => client.call('send', { ...one, lines: [words.join(' ')] }));
  for (const o of outcomes) {
    if (o.ok) process.stdout.write(`sent ${o.bytes} bytes to the stdin of ${who(o)}\n`);
    else process.stderr.write(`tend: nothing sent to ${who(o)}: ${o.error ?? 'failed'}\n`);
  }
  return outcomes.every((o) => o.ok) ? 0 : 1;
}

/** `tend cleardump`: the list `tend save` wrote is emptied, so `tend resurrect` brings nothing back. */
export async function cleardumpCommand(): Promise<number> {
  const { file } = await withDaemon((client) => client.call('cleardump', undefined));
  process.stdout.write(`emptied ${file}\n`);
  return 0;
}

/** `tend plus`, `tend link`: PM2's hosted dashboard; tend serves its own. */
export async function plusCommand(): Promise<number> {
  process.stdout.write(
    'tend has no hosted service: `tend dashboard` serves a web dashboard (and Prometheus /metrics) from your own daemon\n',
  );
  return 0;
}
