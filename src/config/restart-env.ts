/**
 * The environment of an app that is restarted, by PM2's documented rule: a restart keeps the environment the app was
 * started with, and `--update-env` (`-a`) replaces it with the environment of the shell running the command. Either way
 * the app's own layers (`env`, `deploy.<name>.env`, `env_<name>`, `port`, the user's HOME/USER) are the ones asked for
 * now: a key removed from the file is gone after the restart, which PM2's merge never does.
 */
import type { AppSpec, EnvSource } from './types.js';

/** The layers a restart can replace: what the process started from (tend's clean base, or the caller's shell). */
function isBase(source: EnvSource | undefined): boolean {
  return source === 'base' || source === 'shell';
}

function compose(
  base: Iterable<[string, string, EnvSource]>,
  own: AppSpec,
): { env: Record<string, string>; envSources: Record<string, EnvSource> } {
  const env: Record<string, string> = {};
  const envSources: Record<string, EnvSource> = {};
  for (const [key, value, source] of base) {
    env[key] = value;
    envSources[key] = source;
  }
  for (const [key, value] of Object.entries(own.run.env)) {
    const source = own.envSources[key] ?? 'env';
    if (isBase(source)) continue;
    env[key] = value;
    envSources[key] = source;
  }
  return { env, envSources };
}

function* baseOf(spec: AppSpec): Iterable<[string, string, EnvSource]> {
  for (const [key, value] of Object.entries(spec.run.env)) {
    const source = spec.envSources[key] ?? 'env';
    if (isBase(source)) yield [key, value, source];
  }
}

/** `fresh` (the app as the file says now) over the base `stored` was started with: a restart without `--update-env`. */
export function keepStoredBase(fresh: AppSpec, stored: AppSpec): AppSpec {
  const { env, envSources } = compose(baseOf(stored), fresh);
  return { ...fresh, run: { ...fresh.run, env }, envSources };
}

/**
 * `--update-env` on a running app: the shell's variables replace the ones it started from (a variable the shell no
 * longer has is gone), over what remains of tend's fixed base (HOME, LANG, PYTHONUNBUFFERED=1 …); its own layers on top.
 */
export function withShellBase(spec: AppSpec, shell: Record<string, string>): AppSpec {
  const base = new Map<string, [string, string, EnvSource]>();
  for (const entry of baseOf(spec)) if (entry[2] === 'base') base.set(entry[0], entry);
  for (const [key, value] of Object.entries(shell)) base.set(key, [key, value, 'shell']);
  const { env, envSources } = compose(base.values(), spec);
  return { ...spec, run: { ...spec.run, env }, envSources };
}
