import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort, sleep, TendHarness, until } from './harness.js';

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

// A cluster worker that serves HTTP and logs `<pid> <n>` every 10 ms (every 10th also to stderr); on its stop
// signal it logs `<pid> bye <last n>`, so a test can tell a worker's last line from a lost one.
const LOGGER = `const http = require('node:http');
let n = 0;
const tick = setInterval(() => {
  n += 1;
  console.log(process.pid + ' ' + n);
  if (n % 10 === 0) console.error(process.pid + ' err ' + n);
}, 10);
const bye = () => { clearInterval(tick); console.log(process.pid + ' bye ' + n); process.exit(0); };
process.on('SIGINT', bye);
process.on('SIGTERM', bye);
http.createServer((req, res) => res.end(String(process.pid))).listen(Number(process.env.PORT), '127.0.0.1');
`;

const logsDir = (): string => join(tend.home, 'logs');
const linesOf = (name: string): string[] =>
  readFileSync(join(logsDir(), name), 'utf8')
    .split('\n')
    .filter((line) => line !== '');

function clusterApp(name: string, port: number, extra: string): string {
  return `  - name: ${name}\n    script: ${join(tend.work, 'logger.cjs')}\n    exec_mode: cluster\n    instances: 2\n    env: { PORT: ${port} }\n${extra}`;
}

const STAMP = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d: ';

describe('cluster apps through the log writer', () => {
  it('time: true prefixes and log_type: json encodes the lines of every worker; tend logs --json shows them', async () => {
    tend.write('logger.cjs', LOGGER);
    const file = tend.write(
      'eco.yml',
      `apps:\n${clusterApp('stamped', await freePort(), '    time: true\n')}${clusterApp('structured', await freePort(), '    log_type: json\n')}`,
    );
    const applied = await tend.ok(['apply', file]);
    expect(applied.stderr).not.toMatch(/not implemented/);
    const workers = await tend.list();
    const pidOf = (name: string, instance: number): number =>
      workers.find((p) => p.name === name && p.instance === instance)!.pid!;

    for (const instance of [0, 1]) {
      const pid = pidOf('stamped', instance);
      const out = await until(
        () => linesOf(`stamped-out-${instance}.log`).length >= 20 && linesOf(`stamped-out-${instance}.log`),
        10_000,
        'stamped lines',
      );
      for (const line of out) expect(line).toMatch(new RegExp(`^${STAMP}${pid} \\d+$`));
      const err = await until(
        () => linesOf(`stamped-err-${instance}.log`).length >= 1 && linesOf(`stamped-err-${instance}.log`),
        10_000,
        'stamped errors',
      );
      for (const line of err) expect(line).toMatch(new RegExp(`^${STAMP}${pid} err \\d+$`));

      const records = await until(
        () => linesOf(`structured-out-${instance}.log`).length >= 20 && linesOf(`structured-out-${instance}.log`),
        10_000,
        'JSON lines',
      );
      records.forEach((line, i) => {
        const record = JSON.parse(line) as Record<string, unknown>;
        expect(record).toMatchObject({
          app: 'structured',
          instance,
          stream: 'out',
          message: `${pidOf('structured', instance)} ${i + 1}`,
        });
        expect(Number.isNaN(Date.parse(String(record.timestamp)))).toBe(false);
      });
    }

    const shown = await tend.ok(['logs', 'structured', '--out', '--json', '--nostream', '--lines', '5']);
    const printed = shown.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    // Each file's own records, re-emitted as they are (not wrapped a second time).
    expect(new Set(printed.map((p) => p.instance))).toEqual(new Set([0, 1]));
    for (const p of printed)
      expect(p).toMatchObject({ app: 'structured', stream: 'out', message: expect.stringMatching(/^\d+ \d+$/) });
  }, 30_000);

  it('merged files of a time-stamped cluster app lose no line across a rolling reload', async () => {
    tend.write('logger.cjs', LOGGER);
    const file = tend.write(
      'eco.yml',
      `apps:\n${clusterApp('web', await freePort(), '    time: true\n    merge_logs: true\n')}`,
    );
    await tend.ok(['apply', file]);
    const before = (await tend.list()).map((p) => p.pid!);
    await sleep(500);
    await tend.ok(['reload', 'web']);
    const after = (await tend.list()).map((p) => p.pid!);
    expect(after.filter((pid) => before.includes(pid))).toEqual([]);
    await sleep(500);
    await tend.ok(['stop', 'web']);
    const pids = [...before, ...after];
    // Every worker said goodbye, and its writer wrote it out before exiting.
    const lines = await until(
      () => {
        const all = linesOf('web-out.log');
        return pids.every((pid) => all.some((line) => new RegExp(`: ${pid} bye \\d+$`).test(line))) && all;
      },
      10_000,
      'the last line of every worker',
    );
    await until(
      () => readdirSync(join(tend.home, 'log-writers')).filter((f) => f.endsWith('.json')).length === 0,
      10_000,
      'the writers to exit',
    );

    for (const pid of pids) {
      const mine = lines
        .filter((line) => new RegExp(`^${STAMP}${pid} `).test(line))
        .map((line) => line.replace(new RegExp(`^${STAMP}`), ''));
      const last = Number(/ bye (\d+)$/.exec(mine.at(-1)!)?.[1]);
      expect(last).toBeGreaterThan(20);
      // 1..last in order, then the goodbye: nothing lost, nothing doubled, for old and new workers alike.
      expect(mine).toEqual([...Array.from({ length: last }, (_, i) => `${pid} ${i + 1}`), `${pid} bye ${last}`]);
    }
    expect(lines.every((line) => new RegExp(`^${STAMP}\\d+ `).test(line))).toBe(true);
  }, 30_000);
});
