#!/usr/bin/env node
// dist/cli.cjs, the `tend` command. `tend --version` and `tend ls` must cost little more than starting node, and
// Node 20's ES module loader alone costs a fifth of that (≈ 4 ms over a 20 ms `node -e 0`). So this file (with the
// `ls` fast path inlined) and the file verbs it loads (dist/file-verbs.cjs) are bundled as CommonJS (`.cjs`, whatever
// package.json says), and a plain `ls` with the daemon up never starts the ESM loader. Only the full CLI (cli-main.js)
// is an ES module.
import { join } from 'node:path';
import { plainFileVerb } from './file-args.js';
import { plainListOptions, plainPm2ListOptions } from './list-args.js';

declare const TEND_VERSION: string;
const version = typeof TEND_VERSION === 'string' ? TEND_VERSION : '0.0.0-dev';

/** Bundled beside this file by scripts/build.mjs; in variables so that esbuild and tsc leave them alone. */
const FULL_CLI = './cli-main.js';
const FILE_VERBS = 'file-verbs.cjs';
const PM2_LIST = 'pm2-list.cjs';

// A reader that went away (`tend ls | head -1`) is no failure of tend's: stop quietly, as `ls | head` does. The daemon
// carries on with whatever it was asked to do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

const argv = process.argv.slice(2);
const listOptions = plainListOptions(argv);
const pm2ListOptions = listOptions ? null : plainPm2ListOptions(argv);
const fileVerb = plainFileVerb(argv);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v' || argv[0] === '-V')) {
  process.stdout.write(`${version}\n`);
} else if (listOptions) {
  // `tend ls` is run many times a minute by scripts and people: it skips the command parser and the chunks. The fast
  // path is inlined by esbuild; the import() only delays running its code (and loading node:net) to this branch. (Its
  // code from V8's cache, as for the file verbs below, measured the same: the cache's own reads cost what it saves.)
  import('./list.js')
    .then(({ fastList }) => fastList(listOptions))
    .catch(() => null)
    .then((code) => (code === null ? runFullCli() : exitWhenWritten(code)));
} else if (pm2ListOptions) {
  // `jlist` and `prettylist` (PM2's shape, for scripts written against PM2) the same way, from a file of their own
  // (dist/pm2-list.cjs): `tend ls` neither reads nor parses a byte of it.
  Promise.resolve()
    .then(() => (require(join(__dirname, PM2_LIST)) as typeof import('./pm2-list.js')).fastPm2List(pm2ListOptions))
    .catch(() => null)
    .then((code) => (code === null ? runFullCli() : exitWhenWritten(code)));
} else if (fileVerb) {
  // `apply FILE` and `plan FILE` as CommonJS too (src/cli/fast/file-verbs.ts): the same command, without commander.
  void requireFast<typeof import('./file-verbs.js')>(FILE_VERBS)
    .then(({ runFileVerb }) => runFileVerb(fileVerb.verb, fileVerb.file, __dirname))
    .then(exitWhenWritten);
} else {
  void runFullCli();
}

/**
 * Ends the process as soon as its output is out, without waiting for the daemon to close its end of the socket or for
 * Node's own teardown: 0.5 ms of a 25 ms `tend ls`. On Linux stdout is written synchronously (terminal, file or pipe),
 * so nothing is left; where a write is still pending, the process ends the usual way once it is done.
 */
function exitWhenWritten(code: number): void {
  process.exitCode = code;
  if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
}

/**
 * A bundle beside this file, with V8's code for it from an earlier run (src/cli/fast/code-cache.ts): 5 ms less for a 50-app
 * `tend plan`. The import() keeps node:vm and the cache's reads out of `tend ls`.
 */
async function requireFast<T>(name: string): Promise<T> {
  const { requireWithCodeCache, userCodeCacheDir } = await import('./code-cache.js');
  const loaded = requireWithCodeCache(join(__dirname, name), userCodeCacheDir());
  process.once('exit', loaded.save);
  return loaded.exports as T;
}

/** The ES module that runs every verb through commander (src/cli/main.ts). */
function runFullCli(): Promise<unknown> {
  return import(FULL_CLI);
}
