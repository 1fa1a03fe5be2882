import { TendError } from '../core/errors.js';

/** The most an ecosystem piped to `tend start -` may hold: a few apps take a few kilobytes. */
const MAX_STDIN_BYTES = 4 * 1024 * 1024;

/** What `-` stands for in `tend start -` and `tend delete -`: the apps (JSON or YAML) piped to tend. */
export async function readStdinText(verb: string): Promise<string> {
  if (process.stdin.isTTY)
    throw new TendError(
      'USAGE',
      `\`tend ${verb} -\` reads apps (JSON or YAML) from stdin, and stdin is a terminal; pipe them in, e.g. \`cat app.json | tend ${verb} -\``,
    );
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const data = chunk as Buffer;
    size += data.length;
    if (size > MAX_STDIN_BYTES)
      throw new TendError('USAGE', `stdin holds more than ${MAX_STDIN_BYTES} bytes; an ecosystem needs a few thousand`);
    chunks.push(data);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '')
    throw new TendError('USAGE', `\`tend ${verb} -\`: nothing came on stdin; pipe an app in (JSON or YAML)`);
  return text;
}
