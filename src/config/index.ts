/**
 * The config layer's public API: ecosystem files (YAML, JSON, JS) and CLI-flag apps in, a validated
 * and normalised DesiredState out. The CLI imports only this file, lazily.
 */
import { dirname, resolve } from 'node:path';
import { anyCronKey, type CronCheck, loadCronCheck, rawAppsOf } from './cron.js';
import { deployEnvOf } from './deploy-env.js';
import { checkDeploySection } from './deploy-target.js';
import { deployValidator } from './deploy-validator.js';
import { buildDesiredState } from './desired.js';
import { nowhere } from './locator.js';
import type { LoadOptions } from './options.js';
import { interpolateData } from './interpolate.js';
import { formatOf, readSource } from './read-source.js';
import type { Source } from './source.js';
import { projectOf } from './project.js';
import { Report } from './report.js';
import { appsOf } from './shape.js';
import type { DesiredState } from './types.js';
import { appValidator } from './validator.js';

export type { BaseEnv, LoadOptions } from './options.js';
export { isEcosystemFile } from './file-kind.js';
export { buildEnv, cleanBaseEnv, type AppEnvInput, type EnvOptions, type BuiltEnv } from './env.js';
export { defaultName, nameProblem } from './app-name.js';
export { watchSpecFor } from './normalise.js';
export { keepStoredBase, withShellBase } from './restart-env.js';
export { toWords } from './units.js';
export { loadDeployTarget } from './deploy-load.js';
export { deployHooks, type DeployHook, type DeployTarget } from './deploy-target.js';

/**
 * Reads, validates and normalises an ecosystem file. Throws TendError CONFIG_NOT_FOUND, CONFIG_SYNTAX,
 * CONFIG_INVALID or CONFIG_LOAD with every problem positioned, or UNKNOWN_APP for a bad `only` name;
 * warnings (options not implemented yet, ...) are returned in DesiredState.warnings.
 */
export async function loadDesiredState(file: string, options: LoadOptions): Promise<DesiredState> {
  // The validator loads (once; appValidator caches it) while the file is read. No top-level await in this module, so
  // that the CLI's `apply FILE` path can be one CommonJS file (src/cli/fast/file-verbs.ts).
  const [source, validate] = await Promise.all([readSource(file), appValidator()]);
  const cron = await cronCheckFor(rawAppsOf(source.data));
  // A JS file has `process.env` itself; `${VAR}` in its strings is left to it (a template literal, or a shell's).
  const interpolate = formatOf(source.absoluteFile) !== 'js';
  const desired = fromSource(
    source,
    validate,
    { given: source.file, absolute: source.absoluteFile },
    options,
    cron,
    interpolate,
  );
  return withDeployWarnings(desired, source);
}

/** `apply` does not deploy: what `tend deploy` would refuse in the `deploy` section is said, and stops nothing. */
async function withDeployWarnings(desired: DesiredState, source: Source): Promise<DesiredState> {
  if (!hasDeploySection(source.data)) return desired;
  const report = new Report(source.locator);
  checkDeploySection(source.data, await deployValidator(), report, dirname(source.absoluteFile));
  if (report.problems.length === 0) return desired;
  const warnings = report.problems.map((p) => ({ ...p, message: `for \`tend deploy\`: ${p.message}` }));
  return { ...desired, warnings: [...desired.warnings, ...warnings] };
}

function hasDeploySection(data: unknown): boolean {
  return data !== null && typeof data === 'object' && !Array.isArray(data) && 'deploy' in data;
}

/**
 * The same for an ecosystem given as text (`tend start -`: JSON, or YAML, on stdin): `label` names it in messages
 * (with line and column), relative paths resolve against `options.cwd`, and the apps have no origin file.
 */
export async function loadDesiredStateFromText(
  text: string,
  options: LoadOptions & { label: string },
): Promise<DesiredState> {
  const baseDir = resolve(options.cwd ?? process.cwd());
  const absolute = resolve(baseDir, options.label);
  const json = /^\s*[[{]/.test(text);
  const [source, validate] = await Promise.all([
    json
      ? import('./read-json.js').then((m) => m.readJson(text, options.label, absolute))
      : import('./read-yaml.js').then((m) => m.readYaml(text, options.label, absolute)),
    appValidator(),
  ]);
  const cron = await cronCheckFor(rawAppsOf(source.data));
  return fromSource({ ...source, absoluteFile: absolute }, validate, null, options, cron, true);
}

function fromSource(
  source: Source,
  validate: Awaited<ReturnType<typeof appValidator>>,
  file: { given: string; absolute: string } | null,
  options: LoadOptions,
  cron: CronCheck | undefined,
  interpolate: boolean,
): DesiredState {
  const report = new Report(source.locator);
  const data = interpolate ? interpolateData(source.data, options.vars ?? process.env, report) : source.data;
  const entries = appsOf(data, report, options.unknownKeys);
  const project = projectOf(data, report);
  const desired = buildDesiredState(
    entries,
    report,
    validate,
    {
      file,
      label: source.file,
      locator: source.locator,
      baseDir: dirname(source.absoluteFile),
      deployEnv: deployEnvOf(data, options.envName, report),
    },
    options,
    { cron },
  );
  return project === undefined ? desired : { ...desired, project };
}

/** The cron check, loaded only when some app sets `cron_restart`: the cron library costs nothing to other files. */
function cronCheckFor(rawApps: readonly unknown[]): Promise<CronCheck | undefined> {
  return anyCronKey(rawApps) ? loadCronCheck() : Promise.resolve(undefined);
}

/**
 * The same validation and normalisation for apps built from CLI flags (`tend start app.js -i 2`);
 * relative paths are resolved against `options.cwd`, and messages name `origin` instead of a file.
 */
export async function desiredFromApps(
  rawApps: unknown[],
  options: LoadOptions & { origin: string },
): Promise<DesiredState> {
  const [validate, cron] = await Promise.all([appValidator(), cronCheckFor(rawApps)]);
  const report = new Report(nowhere);
  const entries = rawApps.map((raw, index) => ({ raw, path: rawApps.length === 1 ? [] : [index] }));
  return buildDesiredState(
    entries,
    report,
    validate,
    {
      file: null,
      label: options.origin,
      locator: nowhere,
      baseDir: resolve(options.cwd ?? process.cwd()),
    },
    options,
    { cron },
  );
}
