import type { Command } from 'commander';
import { defaults } from '../../core/defaults.js';
import { TendError } from '../../core/errors.js';
import { followFile, readLastLines } from '../../runtime/log-files.js';
import { withDaemon } from '../context.js';
import { useColor } from '../output.js';
import { fileSize, LogTail } from '../tui/log-tail.js';
import { runMonit } from '../tui/monit-app.js';
import { TerminalSession } from '../tui/terminal.js';

/**
 * `tend monit`: the full-screen terminal dashboard. Each poll opens its own short connection, so a
 * daemon that goes away is noticed at the next poll instead of leaving a call waiting forever.
 */
export async function monitCommand(_options: unknown, command?: Command): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new TendError('USAGE', '`tend monit` needs a terminal; in scripts use `tend ls` or `tend ls --json`');
  }
  // The first call may start the daemon (as every verb does); later polls never start one.
  const first = await withDaemon((client) => client.call('list', undefined));
  const once = { start: false };
  const color = useColor() && command?.optsWithGlobals().color !== false;
  const outcome = await runMonit(
    {
      list: () => withDaemon((client) => client.call('list', undefined), once),
      restart: (id) => withDaemon((client) => client.call('restart', { targets: [String(id)] }), once),
      stop: (id) => withDaemon((client) => client.call('stop', { targets: [String(id)] }), once),
      terminal: new TerminalSession(process.stdin, process.stdout),
      logTail: (onChange, onError) =>
        new LogTail(defaults.monitLogLines, { size: fileSize, readLastLines, followFile }, onChange, onError),
      now: () => Date.now(),
    },
    first,
    { pollMs: defaults.monitPollMs, frameMs: defaults.monitFrameMs, historySamples: defaults.monitHistorySamples },
    color,
  );
  if (outcome.message) process.stderr.write(`tend: ${outcome.message}\n`);
  return outcome.code;
}
