// 11. The pure planner on 1,000 apps (bench/plan-timing.ts), and reading a 4 MB ecosystem file (bench/validate-timing.ts),
// tend only, each bundled by esbuild and run in a fresh process.
import { build, stop } from 'esbuild';
import { join } from 'node:path';
import { runOk } from '../lib/procs.mjs';

const bundled = new Map();

async function bundle(ctx, name) {
  if (!bundled.has(name)) bundled.set(name, bundleOnce(ctx, name));
  return bundled.get(name);
}

async function bundleOnce(ctx, name) {
  const outfile = join(ctx.root, `${name}.mjs`);
  await build({
    entryPoints: [join(ctx.repo, `bench/${name}.ts`)],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return outfile;
}

const goal = { text: '< 50 ms', target: () => 50 };

export const scenario = {
  id: 'plan',
  tools: ['tend'],
  rows: [
    { key: 'plan-empty', title: 'plan for 1,000 apps, nothing running', unit: 'ms', goal },
    { key: 'plan-identical', title: 'plan for 1,000 apps, all up to date', unit: 'ms', goal },
    { key: 'plan-changed', title: 'plan for 1,000 apps, 10% changed', unit: 'ms', goal },
    {
      key: 'plan-owned',
      title: 'plan --prune for 1,000 apps up to date, beside 1,000 apps of another owner (kept)',
      unit: 'ms',
      goal,
    },
    {
      key: 'validate-big',
      title: 'read and validate a 4 MB YAML file (3 apps, 27,000 env keys each)',
      unit: 'ms',
      goal: { text: '< 5 s (44 s while it was quadratic)', target: () => 5000 },
    },
  ],
  async run(_tool, ctx) {
    const planFile = await bundle(ctx, 'plan-timing');
    const validateFile = await bundle(ctx, 'validate-timing');
    // esbuild keeps a service process for later builds; there are none.
    await stop();
    const r = JSON.parse((await runOk(process.execPath, [planFile, '20'])).stdout);
    const v = JSON.parse((await runOk(process.execPath, [validateFile])).stdout);
    return {
      'plan-empty': [r.empty],
      'plan-identical': [r.identical],
      'plan-changed': [r.changed],
      'plan-owned': [r.owned],
      'validate-big': [v.ms],
    };
  },
};
