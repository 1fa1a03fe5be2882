import path from 'node:path';
import type { AppSpec } from '../config/types.js';

/** Where one instance's stdout and stderr go; `null` discards the stream. */
export interface LogPaths {
  out: string | null;
  err: string | null;
}

function suffixed(file: string, instance: number): string {
  // /dev/null and other devices are shared sinks, never per-instance files.
  if (file.startsWith('/dev/')) return file;
  const ext = path.extname(file);
  return `${file.slice(0, file.length - ext.length)}-${instance}${ext}`;
}

/** The log files of one instance: shared when logs are merged, else `api-out.log` → `api-out-1.log`. */
export function logPathsFor(spec: AppSpec, instance: number): LogPaths {
  const { out, err, merge } = spec.logs;
  if (merge) return { out, err };
  return { out: out === null ? null : suffixed(out, instance), err: err === null ? null : suffixed(err, instance) };
}
