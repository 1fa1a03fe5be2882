// Bundles the CLI and the daemon into dist/ with esbuild. Code splitting keeps each verb's
// heavy imports (yaml, ajv, xstate) in chunks loaded only by the verbs that need them.
import { build } from 'esbuild';
import { chmod, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

// Compiles the ecosystem JSON Schema to plain validation code, so no verb pays ajv's compile cost.
if (existsSync(new URL('./gen-validator.mjs', import.meta.url))) await import('./gen-validator.mjs');

// TEND_OUTDIR lets several builds (parallel work, benchmarks of two versions) live side by side.
const outdir = process.env.TEND_OUTDIR ?? 'dist';
const define = { TEND_VERSION: JSON.stringify(JSON.parse(await readFile('package.json', 'utf8')).version) };
await rm(outdir, { recursive: true, force: true });
const common = {
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'bundle',
  sourcemap: 'linked',
  logLevel: 'warning',
  define,
};
// A one-file CommonJS build: reading import.meta there (empty in CommonJS) would be a bug, so it fails the build.
const oneCommonJsFile = { ...common, format: 'cjs', logOverride: { 'empty-import-meta': 'error' } };
await build({
  ...common,
  entryPoints: {
    'cli-main': 'src/cli/main.ts',
    'cluster-primary': 'src/runtime/cluster/primary-main.ts',
    'cluster-worker': 'src/runtime/cluster/worker-main.ts',
    'log-writer': 'src/logs/writer-main.ts',
  },
  splitting: true,
  format: 'esm',
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies bundled into ESM need require().
  banner: {
    js: "import { createRequire as __tendCreateRequire } from 'node:module'; const require = __tendCreateRequire(import.meta.url);",
  },
  // The web dashboard's page is one HTML file, bundled as a string.
  loader: { '.html': 'text' },
});

// The daemon is one CommonJS file: Node's ES module loader, kept for the whole life of the process, cost about 2 MiB of
// its idle RSS (49.8 → 47.8 MiB, measured side by side). The dashboard, loaded on first use, is bundled in but not run
// until then: it shares modules with the rest, which a file of its own would duplicate.
// Third-party code it loads only on demand goes in files of its own, `lazy/<package>.cjs`: V8 keeps a script's whole
// source in memory, and these 142 KB of the daemon's 455 cost 0.4 MiB from the start in every daemon. The yaml package
// is one too for dist/file-verbs.cjs (below): a JS ecosystem file never needs it, and V8 compiles all it is given.
const lazyPackages = ['chokidar', 'croner', 'picomatch', 'pidusage', 'yaml'];
for (const name of lazyPackages) {
  const stdin = {
    contents: `module.exports = require(${JSON.stringify(name)});`,
    resolveDir: process.cwd(),
    sourcefile: `lazy-${name}.js`,
  };
  await build({ ...oneCommonJsFile, outdir: undefined, stdin, outfile: `${outdir}/lazy/${name}.cjs` });
}
const lazyFilesOf = (names) => ({
  name: 'lazy-packages',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({
      path: `./lazy/${args.path}.cjs`,
      external: true,
    }));
  },
});
const lazyFiles = lazyFilesOf(lazyPackages);
await build({
  ...oneCommonJsFile,
  entryPoints: { daemon: 'src/daemon/main.ts' },
  outExtension: { '.js': '.cjs' },
  loader: { '.html': 'text' },
  plugins: [lazyFiles],
  // import() of those files becomes require(): an import() would start the ES module loader after all.
  supported: { 'dynamic-import': false },
});

// `tend` itself (dist/cli.cjs) is one CommonJS file with the `ls` fast path inside, no chunks and no banner: a
// `.cjs` runs as CommonJS whatever package.json says, so `tend ls` never starts Node's ES module loader (see
// src/cli/fast/entry.ts). The shebang comes from entry.ts.
// `jlist` and `prettylist` (PM2's shape) have a fast path too, in a file of its own that `tend ls` never reads.
await build({
  ...oneCommonJsFile,
  entryPoints: { cli: 'src/cli/fast/entry.ts', 'pm2-list': 'src/cli/fast/pm2-list.ts' },
  outExtension: { '.js': '.cjs' },
});
// `tend apply FILE` and `tend plan FILE` without commander (src/cli/fast/file-verbs.ts), one CommonJS file the entry
// loads with V8's code cache (src/cli/fast/code-cache.ts). ajv stays out: it only compiles the schema when the
// generated validator is missing (a source checkout).
await build({
  ...oneCommonJsFile,
  entryPoints: { 'file-verbs': 'src/cli/fast/file-verbs.ts' },
  outExtension: { '.js': '.cjs' },
  external: ['ajv', 'ajv/*'],
  plugins: [lazyFiles],
});
await chmod(`${outdir}/cli.cjs`, 0o755);
// `tend-runtime FILE` (src/container/): the daemon in the foreground for one file, CommonJS files like the daemon's, as
// it is the start of every app of a container. A small entry (runtime.cjs, the shebang from entry.ts) loads, with V8's
// code cache as the CLI loads file-verbs.cjs, what reads the file and starts its apps (runtime-main.cjs), then, once
// they are started, the daemon that takes them over (runtime-daemon.cjs): the app's start waits on a third of the code.
await build({
  ...oneCommonJsFile,
  entryPoints: { runtime: 'src/container/entry.ts' },
  outExtension: { '.js': '.cjs' },
});
// The yaml package is inside runtime-main.cjs, not lazy/yaml.cjs: so it comes from the code cache too (its compile was
// about a tenth of the way to a YAML file's app). It still runs only for a YAML file (import() of read-yaml.ts).
await build({
  ...oneCommonJsFile,
  entryPoints: { 'runtime-main': 'src/container/main.ts', 'runtime-daemon': 'src/container/supervise.ts' },
  outExtension: { '.js': '.cjs' },
  external: ['ajv', 'ajv/*'],
  loader: { '.html': 'text' },
  plugins: [lazyFilesOf(lazyPackages.filter((name) => name !== 'yaml'))],
  supported: { 'dynamic-import': false },
});
await chmod(`${outdir}/runtime.cjs`, 0o755);
// The programmatic API (`require('tend')`, `import tend from 'tend'`; src/cli/sdk/): one CommonJS file beside the
// daemon it starts, an ES module that re-exports it, and its types (src/cli/sdk/public-types.ts) under each name.
await build({
  ...oneCommonJsFile,
  entryPoints: { api: 'src/cli/sdk/index.ts' },
  outExtension: { '.js': '.cjs' },
  external: ['ajv', 'ajv/*'],
  plugins: [lazyFiles],
});
{
  const { createRequire } = await import('node:module');
  const { resolve } = await import('node:path');
  const apiNames = Object.keys(createRequire(import.meta.url)(resolve(outdir, 'api.cjs'))).filter(
    (n) => n !== 'default' && n !== 'delete',
  );
  await writeFile(
    `${outdir}/api.mjs`,
    `import api from './api.cjs';\nexport default api.default;\nexport const { ${apiNames.join(', ')} } = api.default;\nconst remove = api.default.delete;\nexport { remove as delete };\n`,
  );
  // One declaration, under the names TypeScript looks for beside each format: the CommonJS file's exports are the
  // same names (and `default`), so one text is true of both.
  const apiTypes = `import type { TendApi } from './api-types/public-types.js';\nexport type * from './api-types/public-types.js';\ndeclare const tend: TendApi;\nexport default tend;\n${apiNames.map((n) => `export declare const ${n}: TendApi['${n}'];\n`).join('')}declare const remove: TendApi['delete'];\nexport { remove as delete };\n`;
  for (const ext of ['d.ts', 'd.mts', 'd.cts']) await writeFile(`${outdir}/api.${ext}`, apiTypes);
  if (existsSync('node_modules/.bin/tsc'))
    execFileSync(
      'node_modules/.bin/tsc',
      ['--ignoreConfig', 'src/cli/sdk/public-types.ts', '--declaration', '--emitDeclarationOnly', '--outDir']
        .concat([`${outdir}/api-types`, '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022'])
        .concat(['--strict', '--skipLibCheck', '--types', 'node']),
      { stdio: 'inherit' },
    );
}

// The in-app probe is loaded into every Node app (`--require`, see src/probe/preload-args.ts): CommonJS files of its own,
// with no chunks. What every app compiles as it boots is only the preload (the global `tend/probe` forwards to); the link
// to the daemon is a second file it requires a second later: one file of both cost each boot 0.25 ms more CPU (by wait4,
// 200 boots). The public `tend/probe` module comes as ESM and CommonJS (package.json exports).
const probeOptions = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  packages: 'bundle',
  sourcemap: 'linked',
  logLevel: 'warning',
};
const probeLinkFile = {
  name: 'probe-link-file',
  setup(b) {
    b.onResolve({ filter: /^\.\/probe-link\.js$/ }, () => ({ path: './probe-link.cjs', external: true }));
  },
};
await build({
  ...probeOptions,
  entryPoints: ['src/probe/preload.ts'],
  outfile: `${outdir}/probe.cjs`,
  format: 'cjs',
  plugins: [probeLinkFile],
  supported: { 'dynamic-import': false },
});
await build({
  ...probeOptions,
  entryPoints: ['src/probe/probe-link.ts'],
  outfile: `${outdir}/probe-link.cjs`,
  format: 'cjs',
});
// The IPC guard every fork-mode Node app preloads before the probe (src/probe/preload-for.ts): a file of its own, as apps
// with the probe off get it too.
await build({
  ...probeOptions,
  entryPoints: ['src/probe/ipc-guard.ts'],
  outfile: `${outdir}/ipc-guard.cjs`,
  format: 'cjs',
});
// What a fork-mode Node app with `listen` preloads (src/runtime/listen/preload.ts): its listen() takes the held socket.
await build({
  ...probeOptions,
  entryPoints: ['src/runtime/listen/preload.ts'],
  outfile: `${outdir}/listen-fds.cjs`,
  format: 'cjs',
});
// The static file server `tend serve` starts as an app (src/serve/): a file of its own, so `send` and its MIME table
// load only in that app, never in the CLI or the daemon.
await build({ ...oneCommonJsFile, entryPoints: { serve: 'src/serve/serve-main.ts' }, outExtension: { '.js': '.cjs' } });
// The pull agent `tend sync` starts as an app (src/sync/): git and the tend CLI are its tools, nothing else loads.
await build({
  ...oneCommonJsFile,
  entryPoints: { 'sync-agent': 'src/sync/agent-main.ts' },
  outExtension: { '.js': '.cjs' },
});
await build({ ...probeOptions, entryPoints: ['src/probe/api.ts'], outfile: `${outdir}/probe-api.js`, format: 'esm' });
await build({ ...probeOptions, entryPoints: ['src/probe/api.ts'], outfile: `${outdir}/probe-api.cjs`, format: 'cjs' });
// Its types, for apps written in TypeScript (about a second with the native compiler; skipped where it is not installed).
const tsc = 'node_modules/.bin/tsc';
if (existsSync(tsc)) {
  execFileSync(
    tsc,
    [
      '--ignoreConfig',
      'src/probe/api.ts',
      '--declaration',
      '--emitDeclarationOnly',
      '--outDir',
      `${outdir}/probe-types`,
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2022',
      '--strict',
      '--skipLibCheck',
      '--types',
      'node',
    ],
    { stdio: 'inherit' },
  );
}

// esbuild escapes every non-ASCII character in code (charset: ascii) but copies comments as written. One such character
// (xstate's comments hold four ’) makes V8 keep the whole file's source in two bytes per character: about 0.7 MiB of
// the daemon's memory. In the output they can only be in comments, so they are replaced there.
for (const name of (await readdir(outdir, { recursive: true })).filter((n) => /\.c?js$/.test(n))) {
  const file = `${outdir}/${name}`;
  const text = await readFile(file, 'utf8');
  if (/[^\x00-\x7f]/.test(text)) await writeFile(file, text.replace(/[^\x00-\x7f]/g, "'"));
}
