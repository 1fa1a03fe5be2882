import type { AppSpec } from '../config/types.js';

/** The exact environment one instance starts with: the app's env plus tend's and PM2's per-instance variables. */
export function instanceEnv(
  spec: AppSpec,
  instance: number,
  id: number,
  extra: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = { ...spec.run.env, ...extra };
  env[spec.run.instanceVar] = String(instance);
  const incrementVar = spec.run.incrementVar;
  if (incrementVar !== null) {
    // PM2: the base is the app's own value of the variable (PORT=3000 → 3000, 3001, …), or 0 when unset or not a number.
    const base = Number.parseInt(spec.run.env[incrementVar] ?? '', 10);
    env[incrementVar] = String((Number.isNaN(base) ? 0 : base) + instance);
  }
  env.TEND_APP_NAME = spec.name;
  env.TEND_ID = String(id);
  // PM2 puts its own fields in every app's environment, and apps read them (`process.env.pm_id` to tell instances
  // apart, `name`, `instances`, `exec_mode`): the same values, spelled as PM2 spells them, keep such apps working.
  env.pm_id = String(id);
  env.name = spec.name;
  env.instances = String(spec.instances);
  env.exec_mode = pm2ExecMode(spec.run.execMode);
  return env;
}

/** PM2's spelling of an exec mode, in its env and in `jlist`. */
export function pm2ExecMode(mode: 'fork' | 'cluster'): 'fork_mode' | 'cluster_mode' {
  return mode === 'cluster' ? 'cluster_mode' : 'fork_mode';
}

/** The user and group one instance runs as (`uid`/`gid`); with neither, the launcher's own. */
export function runAsOptions(spec: AppSpec): { uid?: number; gid?: number } {
  const { uid, gid } = spec.run;
  return { ...(uid !== undefined ? { uid } : {}), ...(gid !== undefined ? { gid } : {}) };
}
