// Reads and validates a 4 MB YAML ecosystem file (3 apps with 27,000 env keys each) in a fresh process and prints the
// time (ms) as JSON. The yaml package's duplicate-key check made one big mapping quadratic (44 s for 80,000 keys);
// src/config/map-keys.ts does it in one pass. Each app's environment stays under what the kernel takes at spawn (about
// 2 MiB, refused at the file since #17). The harness bundles this file with esbuild and runs it once per repetition.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadDesiredState } from '../src/config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tend-bench-validate-'));
const file = join(dir, 'ecosystem.yml');
const lines = ['apps:'];
for (let app = 0; app < 3; app++) {
  lines.push(`  - name: big-${app}`, `    script: ${process.execPath}`, '    env:');
  for (let i = 0; i < 27_000; i++) lines.push(`      VAR_${i}: "${'x'.repeat(36)}"`);
}
// A refused file throws out of here (the harness reports the error): the folder goes either way.
try {
  writeFileSync(file, `${lines.join('\n')}\n`);
  const start = performance.now();
  await loadDesiredState(file, { home: dir, baseEnv: { kind: 'clean' } });
  const ms = performance.now() - start;
  process.stdout.write(`${JSON.stringify({ ms })}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
