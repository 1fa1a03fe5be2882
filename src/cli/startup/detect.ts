import { delimiter, join } from 'node:path';
import type { Platform } from './spec.js';

/** What detection looks at, so that a test can describe any machine. */
export interface MachineFacts {
  platform: NodeJS.Platform;
  exists(path: string): boolean;
  /** PATH, to find the init systems' programs. */
  path: string;
}

/**
 * The machine's init system: systemd when it booted the machine (`/run/systemd/system`, as sd_booted() checks) or its
 * `systemctl` is installed, launchd on macOS, OpenRC when its `openrc-run` is there; null when none of them is.
 */
export function detectPlatform(facts: MachineFacts): Platform | null {
  if (facts.platform === 'darwin') return 'launchd';
  if (facts.exists('/run/systemd/system')) return 'systemd';
  if (facts.exists('/sbin/openrc-run') || facts.exists('/sbin/openrc')) return 'openrc';
  if (onPath('systemctl', facts)) return 'systemd';
  return null;
}

function onPath(name: string, facts: MachineFacts): boolean {
  return facts.path.split(delimiter).some((folder) => folder !== '' && facts.exists(join(folder, name)));
}
