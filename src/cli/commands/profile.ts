import type { ProfileKind, TriggerAnswer } from '../../api/methods.js';
import { parseDuration, parseWhole } from '../../config/units.js';
import { TendError } from '../../core/errors.js';
import { withDaemon } from '../context.js';
import { paint, useColor } from '../output.js';
import { toSingleTarget } from '../selectors.js';

const KINDS: Record<string, ProfileKind> = { cpu: 'cpu', heap: 'heap', 'heap-sampling': 'heap-sampling' };
/** PM2's `profile:cpu` and `profile:mem` name what they take; the default duration is PM2's too. */
const DEFAULT_DURATION = '10s';

export interface ProfileOptions {
  duration?: string;
  instance?: string;
  output?: string;
  json?: boolean;
}

function who(a: TriggerAnswer): string {
  return `${a.name}[${a.instance}] (id ${a.id}${a.pid === null ? '' : `, pid ${a.pid}`})`;
}

function size(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Each instance's file, or what went wrong there. */
function renderProfiles(answers: TriggerAnswer[], color: boolean): string {
  return answers
    .map((a) => {
      if (!a.ok) return `${who(a)}: ${paint(`error: ${a.error ?? 'failed'}`, 'red', color)}`;
      const { file, bytes } = a.answer as { file: string; bytes: number };
      return `${who(a)}: ${file} (${size(bytes)})`;
    })
    .join('\n');
}

function instanceOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = parseWhole(text);
  if (n === undefined) throw new TendError('USAGE', `--instance needs a whole number ≥ 0, got \`${text}\``);
  return n;
}

/**
 * `tend profile cpu|heap|heap-sampling APP`: each instance profiles itself through its probe (node:inspector inside
 * the app, no port opened) and writes the file Chrome DevTools opens; exit 1 if any instance could not.
 */
export async function profileCommand(kindName: string, target: string, options: ProfileOptions): Promise<number> {
  const kind = KINDS[kindName];
  if (kind === undefined)
    throw new TendError('USAGE', `tend profile takes cpu, heap or heap-sampling, not \`${kindName}\``);
  const durationMs = parseDuration(options.duration ?? DEFAULT_DURATION);
  if (durationMs === undefined || durationMs <= 0 || durationMs > 10 * 60 * 1000)
    throw new TendError(
      'USAGE',
      `--duration needs a time from 1ms to 10m (such as 500ms, 10s, 2m), got \`${options.duration}\``,
    );
  const instance = instanceOf(options.instance);
  const one = await toSingleTarget(target);
  if (!options.json && kind !== 'heap' && process.stderr.isTTY)
    process.stderr.write(`profiling ${target} for ${durationMs / 1000} s; the app keeps serving\n`);
  const answers = await withDaemon((client) =>
    client.call('profile', {
      ...one,
      kind,
      durationMs,
      dir: process.cwd(),
      ...(instance === undefined ? {} : { instance }),
      ...(options.output === undefined ? {} : { file: options.output }),
    }),
  );
  if (options.json) process.stdout.write(`${JSON.stringify(answers, null, 2)}\n`);
  else process.stdout.write(`${renderProfiles(answers, useColor())}\n`);
  return answers.length > 0 && answers.every((a) => a.ok) ? 0 : 1;
}

/**
 * `tend inspect APP`: opens the Node inspector of each instance (or `--instance`) on 127.0.0.1 and prints its ws://
 * address for Chrome DevTools or an editor; `--close` closes it.
 */
export async function inspectCommand(
  target: string,
  options: { instance?: string; close?: boolean; json?: boolean },
): Promise<number> {
  const instance = instanceOf(options.instance);
  const one = await toSingleTarget(target);
  const answers = await withDaemon((client) =>
    client.call('inspect', {
      ...one,
      ...(instance === undefined ? {} : { instance }),
      ...(options.close ? { close: true } : {}),
    }),
  );
  const color = useColor();
  if (options.json) process.stdout.write(`${JSON.stringify(answers, null, 2)}\n`);
  else {
    const lines = answers.map((a) => {
      if (!a.ok) return `${who(a)}: ${paint(`error: ${a.error ?? 'failed'}`, 'red', color)}`;
      return `${who(a)}: ${a.answer === null ? 'inspector closed' : String(a.answer)}`;
    });
    process.stdout.write(`${lines.join('\n')}\n`);
    if (!options.close && answers.some((a) => a.ok))
      process.stderr.write(
        'While it is open, anyone on this machine who finds its address can run code in the app; ' +
          `close it with: tend inspect ${target} --close\n`,
      );
  }
  return answers.length > 0 && answers.every((a) => a.ok) ? 0 : 1;
}
