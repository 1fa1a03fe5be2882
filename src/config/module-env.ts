/**
 * What a module's apps are told about their module: its name and its configuration (`tend set MODULE:KEY VALUE`), as
 * environment variables the daemon stores with the app's spec. That makes the variable `TEND_MODULE` (with the source
 * `module`) the marker of a module's app: it survives `save`/`resurrect` with the rest of the spec, and a changed
 * setting is a changed `run.env`, which the planner already answers with a restart.
 */
import type { AppSpec, EnvSource } from './types.js';

/** The module's name, in every app of the module. */
export const MODULE_NAME_VAR = 'TEND_MODULE';
/** The whole configuration as one JSON object, for apps that read it at once. */
export const MODULE_CONFIG_VAR = 'TEND_MODULE_CONFIG';
/** Each key also has a variable of its own: `interval-ms` → `TEND_CONFIG_INTERVAL_MS`. */
export const MODULE_KEY_PREFIX = 'TEND_CONFIG_';

/** A module's configuration: the package's `config` defaults under the values set with `tend set`. */
export type ModuleConfig = Record<string, unknown>;

/** The variable a configuration key is passed in: upper case, anything but a letter, digit or `_` becomes `_`. */
export function envNameOfKey(key: string): string {
  return MODULE_KEY_PREFIX + key.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

/** A value as an environment variable holds it: strings as they are, anything else as JSON. */
function envValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The variables a module's app gets, in a stable order (name, the JSON, then one per key by key). */
export function moduleEnv(module: string, config: ModuleConfig): Record<string, string> {
  const env: Record<string, string> = { [MODULE_NAME_VAR]: module, [MODULE_CONFIG_VAR]: JSON.stringify(config) };
  for (const key of Object.keys(config).sort()) env[envNameOfKey(key)] = envValue(config[key]);
  return env;
}

/** The app with the module's variables laid over its own environment (the module's always win). */
export function withModuleEnv(spec: AppSpec, module: string, config: ModuleConfig): AppSpec {
  const added = moduleEnv(module, config);
  const envSources: Record<string, EnvSource> = { ...spec.envSources };
  for (const key of Object.keys(added)) envSources[key] = 'module';
  return { ...spec, run: { ...spec.run, env: { ...spec.run.env, ...added } }, envSources };
}

/** The module an app belongs to, or null: only a `TEND_MODULE` that `tend install` set counts, not one from a shell. */
export function moduleOf(spec: Pick<AppSpec, 'run' | 'envSources'>): string | null {
  if (spec.envSources[MODULE_NAME_VAR] !== 'module') return null;
  return spec.run.env[MODULE_NAME_VAR] ?? null;
}
