import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The CLIs that tests start keep V8's code for tend's bundles in the user's cache folder (src/cli/fast/code-cache.ts):
 * for a test run that is a folder of its own, removed at the end, never the real ~/.cache.
 */
export default function setup(): () => void {
  const cache = mkdtempSync(join(tmpdir(), 'tend-test-cache-'));
  process.env.XDG_CACHE_HOME = cache;
  return () => rmSync(cache, { recursive: true, force: true });
}
