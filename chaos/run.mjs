// `npm run chaos [-- --seconds N]`: kills apps and the daemon at random and issues random commands for N seconds
// (default 60), then checks that tend converged to the file, that no line of the counting app was lost or
// doubled, and that no process is left outside tend's control. Exit 0 only if every check holds.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const seconds = Number(arg('seconds', '60'));
const dist = resolve(arg('dist', process.env.TEND_DIST ?? join(root, 'dist')));
const cli = join(dist, 'cli.cjs');
const seed = Number(arg('seed', String(Date.now() % 100000)));

// A small seeded generator, so a failing run can be replayed with --seed.
let state = seed || 1;
const random = () => {
  state = (state * 48271) % 2147483647;
  return state / 2147483647;
};
const pick = (items) => items[Math.floor(random() * items.length)];

const home = mkdtempSync(join(tmpdir(), 'tend-chaos-'));
const work = mkdtempSync(join(tmpdir(), 'tend-chaos-work-'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function tend(args, timeoutMs = 20_000) {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { env: { ...process.env, TEND_HOME: home, NO_COLOR: '1' }, timeout: timeoutMs, maxBuffer: 64 << 20 },
      (error, stdout, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

async function list() {
  const r = await tend(['ls', '--json']);
  return r.code === 0 ? JSON.parse(r.stdout) : [];
}

function freePort() {
  return new Promise((done) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => done(port));
    });
  });
}

function processesOfHome() {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`TEND_HOME=${home}`))
        pids.push(Number(entry));
    } catch {}
  }
  return pids;
}

function commandOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

function kill(pid, signal = 'SIGKILL') {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

async function cleanup() {
  await tend(['kill'], 10_000).catch(() => {});
  for (const pid of processesOfHome()) kill(pid);
  rmSync(home, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
}

process.on('SIGINT', async () => {
  await cleanup();
  process.exit(130);
});

const figures = { commands: 0, commandErrors: 0, appKills: 0, daemonKills: 0 };
const failures = [];

try {
  const port = await freePort();
  const file = join(work, 'ecosystem.yml');
  writeFileSync(
    file,
    [
      'apps:',
      '  - name: counter',
      `    script: ${join(root, 'chaos/counter.cjs')}`,
      '    exec_mode: fork',
      '    instances: 2',
      '    kill_timeout: 500',
      '  - name: web',
      `    script: ${join(root, 'chaos/web.cjs')}`,
      '    exec_mode: cluster',
      '    instances: 2',
      '    kill_timeout: 500',
      '    env:',
      `      PORT: ${port}`,
      '',
    ].join('\n'),
  );
  const applied = await tend(['apply', file]);
  if (applied.code !== 0) throw new Error(`first apply failed: ${applied.stderr}`);

  const actions = [
    [
      'kill an app process',
      async () => {
        const victim = pick((await list()).filter((p) => p.pid));
        if (victim && kill(victim.pid)) figures.appKills++;
      },
    ],
    [
      'kill the daemon',
      async () => {
        const pid = Number(readFileSync(join(home, 'daemon.pid'), 'utf8'));
        if (pid && kill(pid)) figures.daemonKills++;
      },
    ],
    ['restart', () => tend(['restart', pick(['counter', 'web', 'all'])])],
    ['reload', () => tend(['reload', 'web'])],
    ['scale', () => tend(['scale', pick(['counter', 'web']), pick(['1', '2', '3', '+1', '-1'])])],
    ['stop', () => tend(['stop', pick(['counter', 'web'])])],
    ['start', () => tend(['start', pick(['counter', 'web'])])],
    ['ls', () => tend(['ls'])],
    ['apply', () => tend(['apply', file])],
  ];

  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const [name, act] = pick(actions);
    const result = await act();
    figures.commands++;
    if (result && result.code !== 0 && !/no process matches|cannot scale/.test(result.stderr)) {
      figures.commandErrors++;
      if (figures.commandErrors <= 5)
        console.log(`  (${name} answered ${result.code}: ${result.stderr.trim().split('\n')[0]})`);
    }
    await sleep(50 + random() * 250);
  }

  // Converge: the file again, then nothing left to do.
  const convergeStart = Date.now();
  const final = await tend(['apply', file], 60_000);
  if (final.code !== 0) failures.push(`final apply failed: ${final.stderr.trim()}`);
  const plan = await tend(['plan', file, '--exit-code']);
  if (plan.code !== 0) failures.push(`tend plan still finds changes after the final apply:\n${plan.stdout}`);
  const convergeMs = Date.now() - convergeStart;
  const observed = await list();
  const shape = observed
    .map((p) => `${p.name}[${p.instance}] ${p.status}`)
    .sort()
    .join(', ');
  const expected = 'counter[0] online, counter[1] online, web[0] online, web[1] online';
  if (shape !== expected) failures.push(`observed ${shape}, expected ${expected}`);

  // Every line of the counting app, per pid: 1..n, no gap, no repeat.
  await sleep(200);
  const logs = readdirSync(join(home, 'logs')).filter((f) => f.startsWith('counter-out'));
  const seen = new Map();
  let lines = 0;
  for (const log of logs) {
    for (const line of readFileSync(join(home, 'logs', log), 'utf8').split('\n')) {
      if (!line) continue;
      const [pid, seq] = line.split(' ').map(Number);
      lines++;
      const list = seen.get(pid) ?? [];
      list.push(seq);
      seen.set(pid, list);
    }
  }
  let broken = 0;
  for (const [pid, seqs] of seen) {
    for (let i = 0; i < seqs.length; i++) {
      if (seqs[i] !== i + 1) {
        broken++;
        if (broken <= 3) failures.push(`counter pid ${pid}: line ${i + 1} reads ${seqs[i]} (lost or doubled lines)`);
        break;
      }
    }
  }

  // Nothing outside tend's control: every process of this home is the daemon, a listed app, or a cluster primary.
  const daemonPid = Number(readFileSync(join(home, 'daemon.pid'), 'utf8'));
  const known = new Set([daemonPid, ...observed.map((p) => p.pid)]);
  const strays = processesOfHome().filter((pid) => !known.has(pid) && !commandOf(pid).includes('cluster-primary'));
  if (strays.length)
    failures.push(`processes outside tend's control: ${strays.map((p) => `${p} (${commandOf(p)})`).join(', ')}`);

  console.log(
    `chaos: ${seconds}s, seed ${seed}: ${figures.commands} actions (${figures.appKills} app kills, ${figures.daemonKills} daemon kills, ` +
      `${figures.commandErrors} commands answered non-zero); converged in ${convergeMs} ms; ` +
      `${lines} counter lines from ${seen.size} processes checked, ${broken} broken sequences; ${strays.length} stray processes`,
  );
} catch (error) {
  failures.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
} finally {
  await cleanup();
}

if (failures.length) {
  console.log(`chaos FAILED:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log('chaos passed: converged, no line lost or doubled, nothing left outside tend');
