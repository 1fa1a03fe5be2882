import { withDaemon } from '../context.js';
import { useColor } from '../output.js';
import { callWithProgress, reportResult } from '../progress.js';

/**
 * `tend reloadLogs`: for an external logrotate that moves the files (rather than `copytruncate`).
 * Apps with a log writer continue in a fresh file at once. Apps writing their files directly hold them open
 * themselves, and no process can change another's open files: one whose file was moved goes on writing to the moved
 * file until it restarts. They are named; `--restart` restarts those (a cluster app one instance at a time, so with
 * no downtime), after which they write to a fresh file at the path.
 */
export async function reloadLogsCommand(options: { restart?: boolean } = {}): Promise<number> {
  return withDaemon(async (client) => {
    const { writers, direct } = await client.call('reloadLogs', undefined);
    for (const w of writers)
      process.stdout.write(`reopened ${w.files.join(', ')} (${w.app} #${w.instance}, writer ${w.pid})\n`);
    if (writers.length === 0) process.stdout.write('no log writer running: nothing reopened\n');
    const moved = direct.filter((d) => (d.moved ?? []).length > 0);
    const untouched = direct.filter((d) => (d.moved ?? []).length === 0);
    if (untouched.length > 0)
      process.stdout.write(
        `${untouched.map((d) => d.app).join(', ')}: ${untouched.length === 1 ? 'writes its' : 'write their'} files directly, and they were not moved: nothing to reopen\n`,
      );
    if (moved.length === 0) return 0;
    const names = moved.map((d) => d.app);
    if (!options.restart) {
      for (const d of moved)
        process.stdout.write(`not reopened: ${d.app} still writes to the moved ${(d.moved ?? []).join(', ')}\n`);
      process.stdout.write(
        `  an app writing its files directly keeps them open until it restarts: \`tend reloadLogs --restart\` restarts ${names.join(', ')}\n` +
          "  (cluster apps one instance at a time); or rotate with logrotate's `copytruncate`, or set `max_size` to let tend rotate them\n",
      );
      return 0;
    }
    process.stdout.write(
      `restarting ${names.join(', ')}: ${names.length === 1 ? 'it writes' : 'they write'} to a moved file\n`,
    );
    const color = useColor();
    return reportResult(await callWithProgress(client, 'reload', { targets: names }, color), color);
  });
}
