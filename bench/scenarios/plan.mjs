// 11. The pure planner on 1,000 apps (tend only): bench/plan-timing.ts, bundled by esbuild, in a fresh process.
import { build, stop } from 'esbuild';
import { join } from 'node:path';
import { runOk } from '../lib/procs.mjs';

let bundled = null;

async function bundle(ctx) {
  bundled ??= (async () => {
    const outfile = join(ctx.root, 'plan-timing.mjs');
    await build({
      entryPoints: [join(ctx.repo, 'bench/plan-timing.ts')],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'warning',
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    // esbuild keeps a service process for later builds; there are none.
    await stop();
    return outfile;
  })();
  return bundled;
}

const goal = { text: '< 50 ms', target: () => 50 };

export const scenario = {
  id: 'plan',
  tools: ['tend'],
  rows: [
    { key: 'plan-empty', title: 'plan for 1,000 apps, nothing running', unit: 'ms', goal },
    { key: 'plan-identical', title: 'plan for 1,000 apps, all up to date', unit: 'ms', goal },
    { key: 'plan-changed', title: 'plan for 1,000 apps, 10% changed', unit: 'ms', goal },
  ],
  async run(_tool, ctx) {
    const file = await bundle(ctx);
    const { stdout } = await runOk(process.execPath, [file, '20']);
    const r = JSON.parse(stdout);
    return { 'plan-empty': [r.empty], 'plan-identical': [r.identical], 'plan-changed': [r.changed] };
  },
};
