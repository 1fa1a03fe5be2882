#!/usr/bin/env node
// dist/cli.cjs, the `tend` command, one file. `tend --version` and `tend ls` must cost little more than starting node,
// and Node 20's ES module loader alone costs a fifth of that (≈ 4 ms over a 20 ms `node -e 0`). So this file is
// bundled as CommonJS (`.cjs`, whatever package.json says): esbuild inlines everything it imports, and a plain `ls`
// with the daemon up never starts the ESM loader. Only the full CLI (cli-main.js) is an ES module.
import { plainFileVerb } from './file-args.js';
import { plainListOptions } from './list-args.js';

declare const TEND_VERSION: string;
const version = typeof TEND_VERSION === 'string' ? TEND_VERSION : '0.0.0-dev';

/** Bundled beside this file by scripts/build.mjs; in variables so that esbuild and tsc leave them alone. */
const FULL_CLI = './cli-main.js';
const FILE_VERBS = './file-verbs.cjs';

// A reader that went away (`tend ls | head -1`) is no failure of tend's: stop quietly, as `ls | head` does. The daemon
// carries on with whatever it was asked to do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

const argv = process.argv.slice(2);
const listOptions = plainListOptions(argv);
const fileVerb = plainFileVerb(argv);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v' || argv[0] === '-V')) {
  process.stdout.write(`${version}\n`);
} else if (listOptions) {
  // `tend ls` is run many times a minute by scripts and people: it skips the command parser and the chunks. The fast
  // path is inlined by esbuild; the import() only delays running its code (and loading node:net) to this branch.
  import('./list.js')
    .then(({ fastList }) => fastList(listOptions))
    .catch(() => null)
    .then((code) => (code === null ? runFullCli() : exitWhenWritten(code)));
} else if (fileVerb) {
  // `apply FILE` and `plan FILE` as CommonJS too (src/cli/fast/file-verbs.ts): the same command, without commander.
  const { runFileVerb } = require(FILE_VERBS) as typeof import('./file-verbs.js');
  void runFileVerb(fileVerb.verb, fileVerb.file, __dirname).then(exitWhenWritten);
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

/** The ES module that runs every verb through commander (src/cli/main.ts). */
function runFullCli(): Promise<unknown> {
  return import(FULL_CLI);
}
