#!/usr/bin/env node
// `npm run bench` / `npm run bench:quick`: every scenario for tend and for PM2, alternately, in one run.
// Usage: node bench/run.mjs --report bench/results/<full run>.json (rewrite RESULTS.md only), or
//        node bench/run.mjs [--quick] [--only id,id] [--reps N] [--dist <folder of an existing tend build>] [--inherit-env]
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { availableParallelism, cpus, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanupAll, installSignalHandlers, killMarked, setRunScope } from './lib/cleanup.mjs';
import { pidsWithEnv, runOk } from './lib/procs.mjs';
import { table, writeJson, writeResultsMd } from './lib/report.mjs';
import { AtLeast, formatValue } from './lib/stats.mjs';
import { scenario as ls } from './scenarios/ls.mjs';
import { scenario as lsDuringApply } from './scenarios/ls-during-apply.mjs';
import { scenario as coldStart } from './scenarios/cold-start.mjs';
import { scenario as daemon } from './scenarios/daemon-cost.mjs';
import { scenario as ecosystem } from './scenarios/ecosystem.mjs';
import { scenario as crash } from './scenarios/crash.mjs';
import { scenario as reload } from './scenarios/reload.mjs';
import { scenario as forkReload } from './scenarios/fork-reload.mjs';
import { scenario as throughput } from './scenarios/throughput.mjs';
import { scenario as logs } from './scenarios/logs.mjs';
import { scenario as memory } from './scenarios/memory.mjs';
import { scenario as memoryReplace } from './scenarios/memory-replace.mjs';
import { scenario as plan } from './scenarios/plan.mjs';
import { scenario as probe } from './scenarios/probe.mjs';
import { scenario as containerStart } from './scenarios/container-start.mjs';
import { scenario as checks } from './scenarios/health-checks.mjs';
import { scenario as thousand } from './scenarios/thousand.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCENARIOS = [
  ls,
  lsDuringApply,
  coldStart,
  daemon,
  ecosystem,
  crash,
  reload,
  forkReload,
  throughput,
  logs,
  memory,
  memoryReplace,
  plan,
  probe,
  containerStart,
  checks,
  thousand,
];

/** Sizes of each mode; quick keeps CI under two minutes on 2 cores, full is what RESULTS.md shows. */
const SIZES = {
  full: {
    reps: 5,
    lsApps: 10,
    lsCalls: 5,
    daemonApps: 100,
    cpuWindowMs: 30_000,
    ecoApps: 50,
    crashes: 5,
    reloads: 3,
    rpsMs: 5000,
    lines: 1_000_000,
    memoryTimeoutMs: 45_000,
    probeRounds: 4,
    probeMs: 3000,
    manyApps: 1000,
    applyApps: 500,
  },
  quick: {
    reps: 1,
    lsApps: 10,
    lsCalls: 3,
    daemonApps: 20,
    cpuWindowMs: 5000,
    ecoApps: 10,
    crashes: 3,
    reloads: 1,
    rpsMs: 2000,
    lines: 100_000,
    memoryTimeoutMs: 8000,
    probeRounds: 2,
    probeMs: 1000,
    manyApps: 100,
    applyApps: 100,
  },
};

/**
 * The only variables every process of the run inherits (CLIs, daemons, apps, floors). A caller's environment can
 * skew every figure: NODE_EXTRA_CA_CERTS, for one, makes each node start about 50 ms slower on this machine.
 */
const KEPT_ENV = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'TMPDIR'];

function minimiseEnv() {
  for (const key of Object.keys(process.env)) if (!KEPT_ENV.includes(key)) delete process.env[key];
  process.env.LANG = 'C.UTF-8';
}

function parseArgs(argv) {
  const options = { mode: 'full', only: null, reps: null, dist: null, inheritEnv: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--quick') options.mode = 'quick';
    else if (argv[i] === '--only') options.only = argv[++i].split(',');
    else if (argv[i] === '--reps') options.reps = Number(argv[++i]);
    else if (argv[i] === '--dist') options.dist = resolve(argv[++i]);
    else if (argv[i] === '--inherit-env') options.inheritEnv = true;
    else
      throw new Error(`unknown argument ${argv[i]} (use --quick, --only id,id, --reps N, --dist DIR, --inherit-env)`);
  }
  return options;
}

function git(args) {
  try {
    return execFileSync('git', args, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

function meta(mode, sizes, inheritEnv) {
  const commit = git(['rev-parse', '--short', 'HEAD']) || 'unknown';
  const dirty = git(['status', '--porcelain', '--', 'src', 'scripts', 'schemas']) !== '';
  return {
    date: new Date().toISOString(),
    mode,
    reps: sizes.reps,
    sizes,
    machine: {
      cpus: availableParallelism(),
      cpuModel: cpus()[0]?.model ?? 'unknown CPU',
      memoryGiB: (totalmem() / 1024 ** 3).toFixed(1),
      kernel: release(),
    },
    node: process.version,
    pm2Version: JSON.parse(readFileSync(join(REPO, 'node_modules/pm2/package.json'), 'utf8')).version,
    tendVersion: JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version,
    commit: dirty ? `${commit} with uncommitted changes under src/` : commit,
    environment: inheritEnv ? "the caller's environment" : `minimal (${[...KEPT_ENV, 'LANG'].join(', ')})`,
  };
}

/** The table rows of every selected scenario, with room for samples and failures. */
function makeRows(scenarios, sizes) {
  return scenarios.flatMap((s) =>
    s.rows.map((r) => ({
      ...r,
      scenario: s.id,
      title: typeof r.title === 'function' ? r.title(sizes) : r.title,
      tools: r.tools ?? s.tools ?? ['tend', 'pm2'],
      samples: { tend: [], pm2: [], floor: [] },
      failures: {},
    })),
  );
}

function oneLine(err) {
  return String(err?.message ?? err)
    .split('\n')[0]
    .slice(0, 160);
}

/** Rewrites bench/RESULTS.md from a saved full run (after bench/notes.md changed), measuring nothing. */
function rewriteReport(file) {
  const saved = JSON.parse(readFileSync(resolve(file), 'utf8'));
  const defs = new Map(
    SCENARIOS.flatMap((s) => s.rows.map((r) => [r.key, { ...r, tools: r.tools ?? s.tools ?? ['tend', 'pm2'] }])),
  );
  const revive = (samples) => (samples ?? []).map((v) => (typeof v === 'number' ? v : new AtLeast(v.value)));
  const rows = saved.rows.map((r) => ({
    ...defs.get(r.key),
    scenario: r.scenario,
    title: r.title,
    samples: { tend: revive(r.tend?.samples), pm2: revive(r.pm2?.samples), floor: revive(r.floor?.samples) },
    failures: r.failures,
  }));
  writeResultsMd(REPO, saved, rows);
  process.stdout.write(`${table(rows)}\nbench: bench/RESULTS.md rewritten from ${file}\n`);
}

async function main() {
  const reportAt = process.argv.indexOf('--report');
  if (reportAt >= 0) {
    rewriteReport(process.argv[reportAt + 1]);
    return 0;
  }
  const options = parseArgs(process.argv.slice(2));
  const sizes = { ...SIZES[options.mode], ...(options.reps ? { reps: options.reps } : {}) };
  if (!options.inheritEnv) minimiseEnv();
  // `#!/usr/bin/env node` in both CLIs must find the node running the harness.
  process.env.PATH = `${dirname(process.execPath)}:${process.env.PATH ?? '/usr/bin:/bin'}`;
  const pm2Bin = join(REPO, 'node_modules/.bin/pm2');
  if (!existsSync(pm2Bin)) throw new Error('PM2 is not installed: run `npm install` (pm2 is a devDependency)');

  const root = mkdtempSync(join(tmpdir(), 'tend-bench-'));
  // Every process of this run carries the mark, so the cleanup finds it even if a tool lost track of it.
  process.env.TEND_BENCH_RUN = root;
  // tend's CLI keeps V8's code for `apply FILE` in the user's cache folder (src/cli/fast/code-cache.ts): this run's own,
  // so its first apply compiles as a new user's would and the others find the code, whatever ran on the machine before.
  process.env.XDG_CACHE_HOME = join(root, 'xdg-cache');
  setRunScope(root, [`TEND_BENCH_RUN=${root}`, `TEND_HOME=${root}/`, `PM2_HOME=${root}/`]);
  installSignalHandlers();

  const selected = options.only ? SCENARIOS.filter((s) => options.only.includes(s.id)) : SCENARIOS;
  const rows = makeRows(selected, sizes);
  // The commit (and whether src/ differs from it) when tend is built, which is what the figures are of.
  const info = meta(options.mode, sizes, options.inheritEnv);
  let leftovers = 0;
  try {
    process.stderr.write(`bench: ${options.mode} run, ${sizes.reps} repetition(s), work in ${root}\n`);
    const tendDist = options.dist ?? join(root, 'dist');
    if (!options.dist) {
      process.stderr.write('bench: building tend...\n');
      await runOk(process.execPath, ['scripts/build.mjs'], {
        cwd: REPO,
        env: { ...process.env, TEND_OUTDIR: tendDist },
      });
    }
    const appsDir = join(root, 'apps');
    mkdirSync(appsDir);
    for (const f of readdirSync(join(REPO, 'bench/apps'))) copyFileSync(join(REPO, 'bench/apps', f), join(appsDir, f));
    let scratchCount = 0;
    const ctx = {
      repo: REPO,
      root,
      tendDist,
      pm2Bin,
      sizes,
      app: (name) => join(appsDir, name),
      appEnv: (extra = {}) => ({ TEND_BENCH_RUN: root, ...extra }),
      scratch: () => {
        const dir = join(root, `scratch-${scratchCount++}`);
        mkdirSync(dir);
        return dir;
      },
    };

    for (const scenario of selected) {
      const scenarioRows = rows.filter((r) => r.scenario === scenario.id);
      const tools = scenario.tools ?? ['tend', 'pm2'];
      const attempt = async (label, fn) => {
        const started = Date.now();
        try {
          const out = await fn();
          for (const r of scenarioRows) if (out[r.key]) r.samples[label].push(...out[r.key]);
          // A tend-only A/B scenario (probe) measures its floor in the same session, alternating with the measured side.
          for (const r of scenarioRows) if (out.floor?.[r.key]) r.samples.floor.push(...out.floor[r.key]);
          const list = (r, values) => values.map((v) => formatValue(v?.value ?? v, r.unit)).join(', ');
          const shown = scenarioRows
            .map((r) =>
              out[r.key]?.length
                ? `${r.key} ${list(r, out[r.key])}${out.floor?.[r.key]?.length ? ` (floor ${list(r, out.floor[r.key])})` : ''}`
                : null,
            )
            .filter(Boolean);
          process.stderr.write(
            `  ${scenario.id} ${label}: ${shown.join('; ')} [${((Date.now() - started) / 1000).toFixed(1)} s]\n`,
          );
        } catch (err) {
          for (const r of scenarioRows) {
            if (err.partial?.[r.key]) r.samples[label].push(...err.partial[r.key]);
            else r.failures[label] ??= oneLine(err);
          }
          process.stderr.write(`  ${scenario.id} ${label}: failed: ${oneLine(err)}\n`);
        }
        // Nothing of this run should be alive between two attempts; if something is, it would skew the next one.
        const stray = pidsWithEnv([`TEND_BENCH_RUN=${root}`]);
        if (stray.length > 0) {
          const what = stray.map((pid) => {
            try {
              return `${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()}`;
            } catch {
              return String(pid);
            }
          });
          process.stderr.write(`  ${scenario.id} ${label}: stray process(es) left, killed: ${what.join('; ')}\n`);
          await killMarked();
        }
      };
      // A scenario may cap its repetitions (1,000 apps under PM2 take minutes a session).
      for (let rep = 0; rep < Math.min(sizes.reps, scenario.maxReps ?? sizes.reps); rep++) {
        if (scenario.floor) await attempt('floor', () => scenario.floor(ctx));
        // Alternate who goes first, so neither tool always runs on a warmer (or more tired) machine.
        for (const tool of rep % 2 === 0 ? tools : [...tools].reverse())
          await attempt(tool, () => scenario.run(tool, ctx));
      }
    }
  } finally {
    const left = await cleanupAll();
    leftovers = left;
  }

  const markdown = table(rows);
  process.stdout.write(`\n${markdown}\n\n`);
  const json = writeJson(REPO, info, rows);
  process.stdout.write(`bench: results in ${json}\n`);
  if (options.mode === 'full' && !options.only && !options.reps && !options.dist && !options.inheritEnv) {
    writeResultsMd(REPO, info, rows);
    process.stdout.write('bench: bench/RESULTS.md written\n');
  }
  // tend may fail a scenario (that is a finding); PM2 and the floors failing means the harness itself is broken.
  const broken = rows.filter(
    (r) =>
      (r.tools.includes('pm2') && r.samples.pm2.length === 0) ||
      (r.floorLabel && r.floorConst === undefined && r.samples.floor.length === 0),
  );
  if (broken.length > 0) {
    process.stderr.write(`bench: no figure for PM2 or the floor in: ${broken.map((r) => r.key).join(', ')}\n`);
    return 1;
  }
  if (leftovers > 0) {
    process.stderr.write(`bench: ${leftovers} process(es) could not be killed\n`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  async (err) => {
    process.stderr.write(`bench: ${err?.stack ?? err}\n`);
    await cleanupAll();
    process.exit(1);
  },
);
