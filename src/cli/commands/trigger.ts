import type { TriggerAnswer } from '../../api/methods.js';
import { withDaemon } from '../context.js';
import { toSingleTarget } from '../selectors.js';
import { paint, useColor } from '../output.js';

function describeAnswer(answer: unknown): string {
  if (answer === undefined) return '(no answer)';
  return typeof answer === 'string' ? answer : JSON.stringify(answer);
}

/** One line per instance: its answer, or what went wrong there. */
export function renderAnswers(answers: TriggerAnswer[], color: boolean): string {
  return answers
    .map((a) => {
      const who = `${a.name}[${a.instance}] (id ${a.id}${a.pid === null ? '' : `, pid ${a.pid}`})`;
      const what = a.ok ? describeAnswer(a.answer) : paint(`error: ${a.error ?? 'failed'}`, 'red', color);
      return `${who}: ${what}`;
    })
    .join('\n');
}

/** `tend trigger api dump-cache [arg]`: runs an action the app registered with `tend/probe` in every instance; exit 1 if any failed. */
export async function triggerCommand(
  target: string,
  action: string,
  arg: string | undefined,
  options: { json?: boolean },
): Promise<number> {
  const one = await toSingleTarget(target);
  const answers = await withDaemon((client) =>
    client.call('trigger', arg === undefined ? { ...one, action } : { ...one, action, arg }),
  );
  if (options.json) process.stdout.write(`${JSON.stringify(answers, null, 2)}\n`);
  else process.stdout.write(`${renderAnswers(answers, useColor())}\n`);
  return answers.length > 0 && answers.every((a) => a.ok) ? 0 : 1;
}
