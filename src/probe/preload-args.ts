import { execFileSync } from 'node:child_process';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AppSpec } from '../config/types.js';

/** The bundled preload, beside the daemon in dist/. */
export const PRELOAD_FILE = 'probe.js';

const versionOk = new Map<string, boolean>();

/** `--import` of an ESM preload needs Node ≥ 20.6 (18.19 on the 18 line); older nodes would refuse to start the app. */
export function supportsImport(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return major > 20 || (major === 20 && minor >= 6) || (major === 18 && minor >= 19);
}

// A node named by the user may be any version: asked once per interpreter, and left alone when it cannot say.
function interpreterSupportsImport(interpreter: string): boolean {
  if (interpreter === process.execPath) return true;
  let ok = versionOk.get(interpreter);
  if (ok === undefined) {
    try {
      ok = supportsImport(execFileSync(interpreter, ['--version'], { encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore'] }).trim());
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
  if (!interpreterSupportsImport(spec.run.interpreter)) return [];
  return ['--import', pathToFileURL(join(distDir, PRELOAD_FILE)).href];
}
