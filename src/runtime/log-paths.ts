import path from 'node:path';
import type { AppSpec } from '../config/types.js';

/** Where one instance's stdout and stderr go; `null` discards the stream. */
export interface LogPaths {
  out: string | null;
  err: string | null;
  /** `log_file`: the file that receives both streams too; absent when there is none. */
  log?: string;
}

function suffixed(file: string, instance: number): string {
  // /dev/null and other devices are shared sinks, never per-instance files.
  if (file.startsWith('/dev/')) return file;
  const ext = path.extname(file);
  return `${file.slice(0, file.length - ext.length)}-${instance}${ext}`;
}

/** The log files of one instance: shared when logs are merged, else `api-out.log` → `api-out-1.log`. */
export function logPathsFor(spec: AppSpec, instance: number): LogPaths {
  const { out, err, merge, combined } = spec.logs;
  // Named only when there is one, so the paths of an app without `log_file` look as they always did.
  const log = combined === undefined ? {} : { log: merge ? combined : suffixed(combined, instance) };
  if (merge) return { out, err, ...log };
  return {
    out: out === null ? null : suffixed(out, instance),
    err: err === null ? null : suffixed(err, instance),
    ...log,
  };
}

/** The pid file of one instance (`pid_file`), always suffixed as PM2 does (`api.pid` → `api-0.pid`); null when none. */
export function pidFileFor(spec: AppSpec, instance: number): string | null {
  const file = spec.run.pidFile;
  return file === undefined ? null : suffixed(file, instance);
}
