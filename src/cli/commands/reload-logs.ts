import { withDaemon } from '../context.js';

/**
 * `tend reloadLogs`: for an external logrotate that moves the files (rather than `copytruncate`).
 * Apps with a log writer continue in a fresh file at once; apps writing their files directly keep the
 * moved file open until they restart, and are named with what to do instead.
 */
export async function reloadLogsCommand(): Promise<number> {
  const { writers, direct } = await withDaemon((client) => client.call('reloadLogs', undefined));
  for (const w of writers)
    process.stdout.write(`reopened ${w.files.join(', ')} (${w.app} #${w.instance}, writer ${w.pid})\n`);
  if (writers.length === 0) process.stdout.write('no log writer running: nothing reopened\n');
  if (direct.length > 0) {
    process.stdout.write(
      `not reopened: ${direct.map((d) => d.app).join(', ')} write${direct.length === 1 ? 's' : ''} to ${direct.length === 1 ? 'its' : 'their'} files directly;\n` +
        "  rotate them with logrotate's `copytruncate` (tend opens them with O_APPEND, so writing goes on at the new end),\n" +
        '  or `tend restart` them after moving the files, or set `max_size` to let tend rotate them itself\n',
    );
  }
  return 0;
}
