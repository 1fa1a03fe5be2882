/**
 * A module's apps as a DesiredState: its package.json read and checked as an ecosystem file is (the same validator,
 * the same normalising, every problem at `package.json:line:col`), each app run from the package's folder with the
 * module's variables (module-env.ts). Nothing here starts anything: the CLI sends the result to the daemon.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { TendError } from '../core/errors.js';
import { plural } from '../core/plural.js';
import { buildDesiredState } from './desired.js';
import { type ModuleConfig, withModuleEnv } from './module-env.js';
import { moduleAppsOf } from './module-apps.js';
import { readJson } from './read-json.js';
import { Report } from './report.js';
import type { DesiredState } from './types.js';
import { appValidator } from './validator.js';

export interface LoadedModule {
  name: string;
  version: string | null;
  /** The package's `config` defaults with the values set by `tend set` over them. */
  config: ModuleConfig;
  desired: DesiredState;
}

export interface ModuleLoadOptions {
  /** tend's home: default log files go to `<home>/logs`. */
  home: string;
  /** How messages name the package.json (its path as the user knows it). */
  label: string;
  /** The values set with `tend set` for this module. */
  settings: Record<string, string>;
}

/**
 * Reads `<packageDir>/package.json` into the module's desired state. Throws TendError CONFIG_INVALID with every problem
 * positioned (a package without apps, an app key that is wrong), CONFIG_SYNTAX for a package.json that is not JSON.
 * `${VAR}` is not interpolated: an installed package does not read the environment of whoever installs it.
 */
export async function loadModule(packageDir: string, options: ModuleLoadOptions): Promise<LoadedModule> {
  const file = join(packageDir, 'package.json');
  const [text, validate] = await Promise.all([
    readFile(file, 'utf8').catch((cause: unknown) => {
      throw new TendError('CONFIG_NOT_FOUND', `${options.label} cannot be read: the package has no package.json`, {
        cause,
      });
    }),
    appValidator(),
  ]);
  const source = readJson(text, options.label, file);
  const report = new Report(source.locator);
  const pkg = moduleAppsOf(source.data, report);
  if (report.problems.length > 0)
    throw new TendError('CONFIG_INVALID', `${options.label}: ${plural(report.problems.length, 'problem')}`, {
      problems: report.problems,
    });
  const desired = buildDesiredState(
    pkg.apps,
    report,
    validate,
    {
      file: { given: options.label, absolute: file },
      label: options.label,
      locator: source.locator,
      baseDir: dirname(file),
    },
    { home: options.home, baseEnv: { kind: 'clean' } },
  );
  const config: ModuleConfig = { ...pkg.defaults, ...options.settings };
  return {
    name: pkg.name,
    version: pkg.version,
    config,
    desired: { ...desired, apps: desired.apps.map((app) => withModuleEnv(app, pkg.name, config)) },
  };
}
