#!/usr/bin/env node
// dist/cli.js, the `tend` command, one file. `tend --version` and `tend ls` must cost little more than starting node,
// and Node 20's ES module loader alone costs a fifth of that (≈ 4.5 ms over a 22 ms `node -e 0`). So the bundle of
// this file is plain code, valid as CommonJS and as an ES module (scripts/build.mjs builds and checks it so): esbuild
// inlines everything it imports, node's built-ins come from process.getBuiltinModule(), and there is no import.meta
// and no top-level await. Where no package.json says "type": "module" (a build in /tmp, as the bench makes) node runs
// it as CommonJS, and a plain `ls` with the daemon up never starts the ESM loader; in the installed package it is an
// ES module: the same steps, about 4 ms slower.
import { plainListOptions } from './list-args.js';

declare const TEND_VERSION: string;
const version = typeof TEND_VERSION === 'string' ? TEND_VERSION : '0.0.0-dev';

/** Bundled beside this file by scripts/build.mjs; in a variable so that esbuild and tsc leave it alone. */
const FULL_CLI = './cli-main.js';

// A reader that went away (`tend ls | head -1`) is no failure of tend's: stop quietly, as `ls | head` does. The daemon
// carries on with whatever it was asked to do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

const argv = process.argv.slice(2);
const listOptions = plainListOptions(argv);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v' || argv[0] === '-V')) {
  process.stdout.write(`${version}\n`);
} else if (listOptions) {
  // `tend ls` is run many times a minute by scripts and people: it skips the command parser and the chunks. The fast
  // path is inlined by esbuild; the import() only delays running its code (and loading node:net) to this branch.
  import('./list.js')
    .then(({ fastList }) => fastList(listOptions))
    .catch(() => null)
    .then((code) => (code === null ? runFullCli() : (process.exitCode = code)));
} else {
  void runFullCli();
}

/** The ES module that runs every verb through commander (src/cli/main.ts). */
function runFullCli(): Promise<unknown> {
  return import(FULL_CLI);
}
