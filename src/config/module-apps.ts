/**
 * Where a module's package.json declares its apps: under `tend` (one app, a list of apps, or `{ apps: [...] }`, the
 * keys of an ecosystem app), or under PM2's `apps` (a list, as PM2 modules write it). Pure: the package's data in,
 * the app entries with their paths in the file out, so that every problem is reported at `package.json:line:col`.
 */
import { describeValue } from './describe-value.js';
import type { Report } from './report.js';
import type { AppEntry } from './shape.js';

/** The package.json fields a module is read from. */
export interface ModulePackage {
  name: string;
  version: string | null;
  /** The app entries, each with its path in package.json (`['tend', 0]`, `['apps', 1]`). */
  apps: AppEntry[];
  /** `config`: default values of the module's settings (PM2 modules keep theirs there too). */
  defaults: Record<string, unknown>;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The apps a package declares. An app without `name` is named after the module when it is the module's only app, so
 * `tend install tend-health-pinger` runs an app called `tend-health-pinger`.
 */
export function moduleAppsOf(data: unknown, report: Report): ModulePackage {
  const pkg = isObject(data) ? data : {};
  if (!isObject(data)) report.problem([], `expected package.json to hold an object; got ${describeValue(data)}`);
  const name = typeof pkg.name === 'string' && pkg.name !== '' ? pkg.name : '';
  if (name === '' && isObject(data)) report.problem([], 'package.json has no `name`: a module is known by its name');
  const version = typeof pkg.version === 'string' ? pkg.version : null;
  const defaults = isObject(pkg.config) ? pkg.config : {};
  if (pkg.config !== undefined && !isObject(pkg.config))
    report.problem(
      ['config'],
      `expected \`config\` to map setting names to default values; got ${describeValue(pkg.config)}`,
    );

  const listKey = 'tend' in pkg ? 'tend' : 'apps' in pkg ? 'apps' : null;
  if (listKey === null) {
    if (isObject(data))
      report.problem(
        [],
        `${name || 'the package'} declares no apps: a module lists them under \`tend\` (the keys of an ecosystem app) or PM2's \`apps\``,
      );
    return { name, version, apps: [], defaults };
  }
  const apps = entriesUnder(pkg[listKey], [listKey], report);
  if (apps.length === 0 && report.problems.length === 0)
    report.problem([listKey], `\`${listKey}\` lists no apps; a module needs at least one`);
  if (apps.length === 1) {
    const only = apps[0]!;
    if (isObject(only.raw) && only.raw.name === undefined) only.raw = { name, ...only.raw };
  }
  return { name, version, apps, defaults };
}

/** `tend: {...}` is one app, `tend: [...]` a list, `tend: { apps: [...] }` an ecosystem's shape. */
function entriesUnder(value: unknown, path: Array<string | number>, report: Report): AppEntry[] {
  if (Array.isArray(value)) return value.map((raw, index) => ({ raw, path: [...path, index] }));
  if (isObject(value)) {
    if ('apps' in value) return entriesUnder(value.apps, [...path, 'apps'], report);
    return [{ raw: value, path }];
  }
  report.problem(path, `expected an app, a list of apps, or \`{ apps: [...] }\`; got ${describeValue(value)}`);
  return [];
}
