import { statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { selectTargets, unknownTargetsError } from '../../api/selectors.js';
import { TendError } from '../../core/errors.js';
import { followFile, type Follower } from '../../runtime/log-files.js';
import { withDaemon } from '../context.js';
import { toSingleTarget } from '../selectors.js';

/**
 * `tend attach 0`: the terminal's lines go to the process's stdin (as `tend send`), and its output (its log files,
 * followed as `tend logs` does) comes back, until Ctrl-C or the end of the terminal's input (PM2's `attach`).
 */
export async function attachCommand(target: string): Promise<number> {
  const one = await toSingleTarget(target);
  const views = await withDaemon((client) => client.call('list', undefined));
  const { selected, unknown } = selectTargets(views, { targets: [one.target], scripts: one.scripts }, (v) => v);
  if (unknown.length > 0)
    throw unknownTargetsError(
      unknown,
      views.map((v) => v.name),
    );
  if (selected.length !== 1)
    throw new TendError(
      'USAGE',
      `attach takes one process; \`${target}\` has ${selected.length}: ids ${selected.map((v) => v.id).join(', ')}`,
    );
  const view = selected[0]!;
  // Ask first: a process without tend's stdin is refused before anything is shown.
  const [check] = await withDaemon((client) => client.call('send', { ...one, lines: [] }));
  if (!check?.ok)
    throw new TendError(
      'USAGE',
      `cannot attach to ${view.name}[${view.instance}] (id ${view.id}): ${check?.error ?? 'gone'}`,
    );

  const followers: Follower[] = [];
  const files: Array<[string | null, NodeJS.WritableStream]> = [[view.pm_out_log_path, process.stdout]];
  // Merged logs: one file carries both streams.
  if (view.pm_err_log_path !== view.pm_out_log_path) files.push([view.pm_err_log_path, process.stderr]);
  for (const [file, stream] of files) {
    if (file === null) continue;
    // From the size now, not from the follower's first look: a line the app answers at once is not skipped.
    let from = 0;
    try {
      from = statSync(file).size;
    } catch {
      // Not written yet: all of it is new.
    }
    followers.push(followFile(file, (lines) => stream.write(lines.map((l) => `${l}\n`).join('')), { from }));
  }
  process.stderr.write(
    `attached to ${view.name}[${view.instance}] (id ${view.id}, pid ${view.pid}): lines you type go to its stdin; Ctrl-C detaches\n`,
  );

  let sending = Promise.resolve();
  const input = createInterface({ input: process.stdin, terminal: false });
  input.on('line', (line) => {
    // One after another, in the order typed; each over its own connection, so a daemon restarted meanwhile (the stdin
    // outlives it) is simply reached again.
    sending = sending.then(async () => {
      const [outcome] = await withDaemon((client) => client.call('send', { ...one, lines: [line] })).catch(
        (err: unknown) => [{ ok: false, error: err instanceof Error ? err.message : String(err) }],
      );
      if (!outcome?.ok) process.stderr.write(`tend: not sent: ${outcome?.error ?? 'the process is gone'}\n`);
    });
  });
  await new Promise<void>((resolve) => {
    input.once('close', resolve);
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  input.close();
  await sending;
  // Output the app wrote in answer to the last lines: one more look before leaving.
  await new Promise((resolve) => setTimeout(resolve, 250));
  for (const f of followers) f.close();
  return 0;
}
