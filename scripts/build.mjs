// Bundles the CLI and the daemon into dist/ with esbuild. Code splitting keeps each verb's
// heavy imports (yaml, ajv, xstate) in chunks loaded only by the verbs that need them.
import { build } from 'esbuild';
import { chmod, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

// Compiles the ecosystem JSON Schema to plain validation code, so no verb pays ajv's compile cost.
if (existsSync(new URL('./gen-validator.mjs', import.meta.url))) await import('./gen-validator.mjs');

// TEND_OUTDIR lets several builds (parallel work, benchmarks of two versions) live side by side.
const outdir = process.env.TEND_OUTDIR ?? 'dist';
await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: {
    cli: 'src/cli/main.ts',
    daemon: 'src/daemon/main.ts',
    'cluster-primary': 'src/runtime/cluster/primary-main.ts',
    'cluster-worker': 'src/runtime/cluster/worker-main.ts',
    'log-writer': 'src/runtime/log-writer-main.ts',
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'bundle',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies bundled into ESM need require().
  banner: { js: "import { createRequire as __tendCreateRequire } from 'node:module'; const require = __tendCreateRequire(import.meta.url);" },
  // The web dashboard's page is one HTML file, bundled as a string.
  loader: { '.html': 'text' },
  logLevel: 'warning',
  define: { TEND_VERSION: JSON.stringify(JSON.parse(await readFile('package.json', 'utf8')).version) },
  // The entry point's shebang comes from src/cli/main.ts.
});
await chmod(`${outdir}/cli.js`, 0o755);

// The in-app probe is loaded into every Node app (`--import`), so it is one small file of its own, with no
// chunks and no require() banner. The public `tend/probe` module comes as ESM and CommonJS (package.json exports).
const probeOptions = { bundle: true, platform: 'node', target: 'node18', packages: 'bundle', sourcemap: 'linked', logLevel: 'warning' };
await build({ ...probeOptions, entryPoints: { probe: 'src/probe/preload.ts' }, outdir, format: 'esm' });
await build({ ...probeOptions, entryPoints: ['src/probe/api.ts'], outfile: `${outdir}/probe-api.js`, format: 'esm' });
await build({ ...probeOptions, entryPoints: ['src/probe/api.ts'], outfile: `${outdir}/probe-api.cjs`, format: 'cjs' });
// Its types, for apps written in TypeScript (about a second with the native compiler; skipped where it is not installed).
const tsc = 'node_modules/.bin/tsc';
if (existsSync(tsc)) {
  execFileSync(tsc, ['--ignoreConfig', 'src/probe/api.ts', '--declaration', '--emitDeclarationOnly', '--outDir', `${outdir}/probe-types`,
    '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--strict', '--skipLibCheck', '--types', 'node'], { stdio: 'inherit' });
}
