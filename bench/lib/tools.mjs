// The two process managers behind one small interface, each session with its own private home.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { killMarked, onCleanup } from './cleanup.mjs';
import { pidsWithEnv, runOk, runTimed, sleep } from './procs.mjs';

/** The harness's (minimised) environment, with colours off so both CLIs print plain text. */
function baseEnv(extra) {
  return { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...extra };
}

/** Writes a PM2-style ecosystem.config.js; both tools read the very same file. */
export function writeEcosystem(work, apps, name = 'ecosystem.config.js', top = {}) {
  const file = join(work, name);
  writeFileSync(file, `module.exports = ${JSON.stringify({ ...top, apps }, null, 2)};\n`);
  return file;
}

/** What differs between tend and PM2: binaries, home variable, list format, how "all online" is known. */
const drivers = {
  tend: {
    homeVar: 'TEND_HOME',
    pidFile: (home) => join(home, 'daemon.pid'),
    cli: (ctx) => join(ctx.tendDist, 'cli.cjs'),
    listArgs: ['ls', '--json'],
    parseList: (stdout) =>
      JSON.parse(stdout).map((p) => ({
        name: p.name,
        status: p.status,
        pid: p.pid,
        mode: p.mode,
        restarts: p.restarts,
      })),
  },
  pm2: {
    homeVar: 'PM2_HOME',
    pidFile: (home) => join(home, 'pm2.pid'),
    cli: (ctx) => ctx.pm2Bin,
    listArgs: ['jlist'],
    parseList: (stdout) =>
      JSON.parse(stdout.slice(stdout.indexOf('['))).map((p) => ({
        name: p.name,
        status: p.pm2_env.status,
        pid: p.pid,
        mode: p.pm2_env.exec_mode === 'cluster_mode' ? 'cluster' : 'fork',
        restarts: p.pm2_env.restart_time,
      })),
  },
};

/** One private instance of a tool: a fresh home, a work folder for its apps, and a guaranteed teardown. */
export class Session {
  constructor(tool, ctx) {
    this.tool = tool;
    this.ctx = ctx;
    this.driver = drivers[tool];
    const base = mkdtempSync(join(ctx.root, `${tool}-`));
    this.home = join(base, 'home');
    this.work = join(base, 'work');
    mkdirSync(this.home, { recursive: true, mode: 0o700 });
    mkdirSync(this.work, { recursive: true });
    this.env = baseEnv({ [this.driver.homeVar]: this.home });
    this.dropCleanup = onCleanup(() => this.kill());
  }

  get bin() {
    return this.driver.cli(this.ctx);
  }

  /** Runs the tool's CLI; the result has the time it took. */
  run(args, options = {}) {
    return runTimed(this.bin, args, { env: this.env, cwd: this.work, ...options });
  }

  ok(args, options = {}) {
    return runOk(this.bin, args, { env: this.env, cwd: this.work, ...options });
  }

  daemonPid() {
    try {
      const pid = Number(readFileSync(this.driver.pidFile(this.home), 'utf8').trim());
      return pid > 0 ? pid : null;
    } catch {
      return null;
    }
  }

  async list() {
    const result = await this.ok(this.driver.listArgs);
    return this.driver.parseList(result.stdout);
  }

  /**
   * Starts an ecosystem file and returns when every one of `count` processes is online, with the time it took:
   * `tend apply` itself waits for that; `pm2 start` returns earlier, so `pm2 jlist` is polled.
   */
  async startAll(file, count, { timeoutMs = 120_000 } = {}) {
    const started = performance.now();
    if (this.tool === 'tend') {
      await this.ok(['apply', file], { timeoutMs });
      return performance.now() - started;
    }
    await this.ok(['start', file], { timeoutMs });
    for (;;) {
      const list = await this.list();
      if (list.length >= count && list.every((p) => p.status === 'online')) return performance.now() - started;
      if (performance.now() - started > timeoutMs) {
        throw new Error(`${list.filter((p) => p.status === 'online').length}/${count} online after ${timeoutMs} ms`);
      }
    }
  }

  /** Zero-downtime reload where the tool has one (cluster mode). */
  reload(name) {
    return this.ok(['reload', name], { timeoutMs: 60_000 });
  }

  /** The tool's own `kill`, then SIGKILL for anything that still carries this home in its environment. */
  async kill() {
    this.dropCleanup();
    await this.run(['kill'], { timeoutMs: 20_000 });
    const marker = `${this.driver.homeVar}=${this.home}`;
    if (pidsWithEnv([marker]).length > 0) {
      await sleep(200);
      await killMarked([marker]);
    }
  }
}

/** Opens a session, runs `fn`, and always tears the session down. */
export async function withSession(tool, ctx, fn) {
  const session = new Session(tool, ctx);
  try {
    return await fn(session);
  } finally {
    await session.kill();
  }
}
