// 13. Many idle apps at once (issue #21): apply, `ls`, `plan`, the daemon's RSS and idle CPU, `restart all` and `kill`,
// each timed until the apps themselves show it. The apps are `mark-sleep.sh` (no interpreter), so 1,000 fit in memory.
import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { alive, cpuPercentOver, nowMs, pidsWithEnv, rssMiB, sleep } from '../lib/procs.mjs';
import { AtLeast } from '../lib/stats.mjs';
import { withSession, writeEcosystem } from '../lib/tools.mjs';
import { SETTLE_MS } from './daemon-cost.mjs';

/** Each run of an app appends "ran\n" to the marks file: its size says how many runs there were, with no CLI call. */
const MARK_BYTES = 'ran\n'.length;
const POLL_MS = 10;

/** Generous for a step over every app (5 min at 1,000): past it the figure is a lower bound and the session ends. */
const stepTimeoutMs = (count) => Math.max(60_000, count * 300);

function runsSoFar(marks) {
  return Math.floor((statSync(marks, { throwIfNoEntry: false })?.size ?? 0) / MARK_BYTES);
}

/** A step that did not finish: the rows measured so far keep their figures, this one gets `> timeout`. */
class StepTimeout extends Error {
  constructor(message, key, timeoutMs) {
    super(message);
    this.key = key;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * Runs a CLI command and times from its spawn until `done()` holds (polled), not until the command returns. Returns the
 * time, or why the command failed (it exited non-zero once `done()` held: the steps after it can still be measured).
 * Throws StepTimeout when `done()` stays false past the timeout.
 */
async function timeUntil(s, key, args, done, timeoutMs, describe) {
  const shown = args.map((a) => basename(a)).join(' ');
  const started = nowMs();
  const command = s.run(args, { timeoutMs });
  let ms = null;
  while (ms === null) {
    if (done()) ms = nowMs() - started;
    else if (nowMs() - started > timeoutMs)
      throw new StepTimeout(`\`${shown}\`: ${describe()} after ${timeoutMs / 1000} s`, key, timeoutMs);
    else await sleep(POLL_MS);
  }
  const result = await command;
  if (result.code !== 0) {
    const last = `${result.stdout}\n${result.stderr}`.trim().split('\n').at(-1);
    const ran = `${(ms / 1000).toFixed(1)} s`;
    return { failure: `\`${shown}\` exited ${result.code ?? result.signal} (its part done at ${ran}): ${last}` };
  }
  return { ms };
}

/** Spawn to exit of a CLI call, after one unmeasured call (users run `ls` again and again). */
async function timeCalls(s, args, calls) {
  await s.ok(args, { timeoutMs: 120_000 });
  const samples = [];
  for (let i = 0; i < calls; i++) samples.push((await s.ok(args, { timeoutMs: 120_000 })).ms);
  return samples;
}

export const scenario = {
  id: 'thousand',
  // One PM2 session at 1,000 apps takes about 6 min (its `restart all` 2 to 4 of them).
  maxReps: 1,
  rows: [
    {
      key: 'many-apply',
      title: (sizes) => `${sizes.manyApps} idle apps: apply/start until every app's code runs`,
      unit: 'ms',
      goal: { text: '≤ 0.4× PM2', target: (m) => 0.4 * m.pm2 },
    },
    {
      key: 'many-ls',
      title: (sizes) => `${sizes.manyApps} idle apps: CLI \`ls\``,
      unit: 'ms',
      goal: { text: '≤ 100 ms', target: () => 100 },
    },
    {
      key: 'many-plan',
      title: (sizes) => `${sizes.manyApps} idle apps: \`plan\` with no change`,
      unit: 'ms',
      goal: { text: '≤ 150 ms', target: () => 150 },
      tools: ['tend'],
    },
    {
      key: 'many-rss',
      title: (sizes) => `${sizes.manyApps} idle apps: daemon RSS`,
      unit: 'MiB',
      goal: { text: '≤ 120 MiB', target: () => 120 },
    },
    {
      key: 'many-cpu',
      title: (sizes) => `${sizes.manyApps} idle apps: daemon CPU over ${sizes.cpuWindowMs / 1000} s`,
      unit: '%',
      floorConst: 0,
      goal: { text: '≤ 2 % of a core', target: () => 2 },
    },
    {
      key: 'many-restart',
      title: (sizes) => `${sizes.manyApps} idle apps: \`restart all\` until every app's code runs again`,
      unit: 'ms',
      goal: { text: '—', target: null },
    },
    {
      key: 'many-kill',
      title: (sizes) => `${sizes.manyApps} idle apps: \`kill\` until every process is gone`,
      unit: 'ms',
      goal: { text: '—', target: null },
    },
  ],
  async run(tool, ctx) {
    const count = ctx.sizes.manyApps;
    const timeoutMs = stepTimeoutMs(count);
    const out = {};
    const failures = [];
    /** A step's figure, or its failure noted for the end of the session. */
    const record = (key, { ms, failure }) => {
      if (failure) failures.push(failure);
      else out[key] = [ms];
    };
    try {
      return await withSession(tool, ctx, async (s) => {
        await s.ok(['ping']);
        const marks = join(s.work, 'marks');
        const apps = Array.from({ length: count }, (_, i) => ({
          name: `idle-${i}`,
          script: ctx.app('mark-sleep.sh'),
          interpreter: 'none',
          env: ctx.appEnv({ BENCH_MARKS: marks }),
        }));
        const file = writeEcosystem(s.work, apps);
        const ran = () => `${runsSoFar(marks)}/${count} apps ran`;

        record(
          'many-apply',
          await timeUntil(
            s,
            'many-apply',
            tool === 'tend' ? ['apply', file] : ['start', file],
            () => runsSoFar(marks) >= count,
            timeoutMs,
            ran,
          ),
        );
        // Not timed: the figures count only if the tool also lists every app online.
        for (const deadline = Date.now() + 60_000; ; await sleep(500)) {
          const list = await s.list();
          const online = list.filter((p) => p.status === 'online').length;
          if (list.length === count && online === count) break;
          if (Date.now() > deadline) throw new Error(`${online}/${count} listed online 60 s after their code ran`);
        }

        const pid = s.daemonPid();
        if (!pid) throw new Error('no daemon pid file');
        await sleep(SETTLE_MS);
        out['many-rss'] = [rssMiB(pid)];
        out['many-cpu'] = [await cpuPercentOver(pid, ctx.sizes.cpuWindowMs)];
        out['many-ls'] = await timeCalls(s, ['ls'], ctx.sizes.lsCalls);
        if (tool === 'tend') out['many-plan'] = await timeCalls(s, ['plan', file], ctx.sizes.lsCalls);

        const before = runsSoFar(marks);
        record(
          'many-restart',
          await timeUntil(
            s,
            'many-restart',
            ['restart', 'all'],
            () => runsSoFar(marks) >= before + count,
            timeoutMs,
            () => `${runsSoFar(marks) - before}/${count} apps ran again`,
          ),
        );

        // The daemon and every app carry the home in their environment: all of them must be gone.
        let left = pidsWithEnv([`${s.driver.homeVar}=${s.home}`]);
        if (left.length < count + 1) throw new Error(`only ${left.length} processes carry the home before \`kill\``);
        record(
          'many-kill',
          await timeUntil(
            s,
            'many-kill',
            ['kill'],
            () => {
              left = left.filter(alive);
              return left.length === 0;
            },
            timeoutMs,
            () => `${left.length} processes still alive`,
          ),
        );
        if (failures.length > 0) throw new Error(failures.join('; '));
        return out;
      });
    } catch (err) {
      const partial = { ...out };
      if (err instanceof StepTimeout) partial[err.key] = [new AtLeast(err.timeoutMs)];
      throw Object.assign(err, { partial });
    }
  },
};
