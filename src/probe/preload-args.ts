import { execFileSync } from 'node:child_process';
import { basename, join } from 'node:path';
import type { AppSpec } from '../config/types.js';

/**
 * The bundled preload, beside the daemon in dist/: CommonJS, loaded with `--require`. An ESM preload (`--import`)
 * starts Node's ES module loader in every app, CommonJS ones included: 8 ms more per boot instead of 3.5 (a bare
 * boot is 20 ms here), paid again at every restart and by every instance of a 50-app start.
 */
export const PRELOAD_FILE = 'probe.cjs';

const versionOk = new Map<string, boolean>();

/** The preload is built for Node 18 and later; an older node could fail to parse it and the app with it. */
export function supportsPreload(version: string): boolean {
  const [major = 0] = version.replace(/^v/, '').split('.').map(Number);
  return major >= 18;
}

// A node named by the user may be any version: asked once per interpreter, and left alone when it cannot say.
function interpreterSupportsPreload(interpreter: string): boolean {
  if (interpreter === process.execPath) return true;
  let ok = versionOk.get(interpreter);
  if (ok === undefined) {
    try {
      ok = supportsPreload(
        execFileSync(interpreter, ['--version'], {
          encoding: 'utf8',
          timeout: 2000,
          stdio: ['ignore', 'pipe', 'ignore'],
        }).trim(),
      );
    } catch {
      ok = false;
    }
    versionOk.set(interpreter, ok);
  }
  return ok;
}

/** Whether the app runs on node: only node apps get the probe. */
export function runsOnNode(interpreter: string | null): interpreter is string {
  return interpreter !== null && (interpreter === process.execPath || /^node(js)?[\d.]*$/.test(basename(interpreter)));
}

/** The node flags that load the probe into one app, or none (not node, `probe: false`/`pmx: false`, a node too old). */
export function probeArgs(spec: AppSpec, distDir: string): string[] {
  if (spec.run.probe === false || !runsOnNode(spec.run.interpreter)) return [];
  // An app run as another user cannot reach the probe socket in tend's home (0700): no probe, no reconnect attempts.
  if (spec.run.uid !== undefined && spec.run.uid !== process.getuid?.()) return [];
  if (!interpreterSupportsPreload(spec.run.interpreter)) return [];
  return ['--require', join(distDir, PRELOAD_FILE)];
}
