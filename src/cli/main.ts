#!/usr/bin/env node
// The entry point does as little as it can before a verb is known: `tend --version` and `tend ls`
// must cost little more than starting node, so each verb's code is imported only when it runs.
declare const TEND_VERSION: string;
const version = typeof TEND_VERSION === 'string' ? TEND_VERSION : '0.0.0-dev';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v' || argv[0] === '-V')) {
  process.stdout.write(`${version}\n`);
} else if (isPlainList(argv)) {
  // `tend ls` is run many times a minute by scripts and people: it skips the command parser entirely.
  const [{ listCommand }, { setEntryUrl }] = await Promise.all([import('./commands/list.js'), import('./context.js')]);
  setEntryUrl(import.meta.url);
  const sort = argv.indexOf('--sort');
  process.exitCode = await listCommand({ json: argv[0] === 'jlist' || argv.includes('--json'), sort: sort >= 0 ? argv[sort + 1] : undefined }).catch(
    async (err: unknown) => (await import('./program.js')).reportError(err, false),
  );
} else {
  const { run } = await import('./program.js');
  process.exitCode = await run(argv, version, import.meta.url);
}

/** `ls` (or an alias) with nothing but --json / --sort FIELD; anything else goes through the full parser. */
function isPlainList(args: string[]): boolean {
  const [verb, ...rest] = args;
  if (!verb || !['ls', 'list', 'l', 'status', 'ps', 'jlist'].includes(verb)) return false;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--json') continue;
    if (rest[i] === '--sort' && rest[i + 1] !== undefined && !rest[i + 1]!.startsWith('-')) {
      i++;
      continue;
    }
    return false;
  }
  return true;
}
