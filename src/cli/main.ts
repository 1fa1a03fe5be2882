#!/usr/bin/env node
// The entry point does as little as it can before a verb is known: `tend --version` and `tend ls`
// must cost little more than starting node, so each verb's code is imported only when it runs.
declare const TEND_VERSION: string;
const version = typeof TEND_VERSION === 'string' ? TEND_VERSION : '0.0.0-dev';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v' || argv[0] === '-V')) {
  process.stdout.write(`${version}\n`);
} else {
  const { run } = await import('./program.js');
  process.exitCode = await run(argv, version, import.meta.url);
}
