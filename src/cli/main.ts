// The full CLI, dist/cli-main.js: commander and every verb, each imported only when it runs. `tend` itself is
// dist/cli.cjs (src/cli/fast/entry.ts), which answers `--version` and a plain `ls` without loading this file.
import { run } from './program.js';

declare const TEND_VERSION: string;
const version = typeof TEND_VERSION === 'string' ? TEND_VERSION : '0.0.0-dev';

process.exitCode = await run(process.argv.slice(2), version, import.meta.url);
