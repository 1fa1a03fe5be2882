import { plural } from '../core/plural.js';
import { availableParallelism } from 'node:os';
import { TendError, type Problem } from '../core/errors.js';
import { defaults } from '../core/defaults.js';
import { defaultName } from './app-name.js';
import { checkApp, type CheckedApp } from './check-app.js';
import type { CronCheck } from './cron.js';
import { realFileHost, type FileHost } from './host.js';
import { memoHost } from './memo-host.js';
import type { PathSegment } from './key-path.js';
import type { Locator } from './locator.js';
import { type AppDependencies, checkDependencies, readDependsOn, withDependencies } from './depends-on.js';
import { normaliseApp, processLimit } from './normalise.js';
import { parseOnly, unknownOnlyNames } from './only.js';
import type { LoadOptions } from './options.js';
import type { Report } from './report.js';
import type { AppEntry } from './shape.js';
import type { AppSpec, DesiredState } from './types.js';
import type { AppValidator } from './validate-types.js';

/** Where the apps came from: an ecosystem file, or CLI flags named by `origin`. */
export interface AppsOrigin {
  /** The file as the user named it (for messages) and its absolute path, or null for CLI flags. */
  file: { given: string; absolute: string } | null;
  /** What messages call the source: the file path, or e.g. "command line". */
  label: string;
  locator: Locator;
  /** Folder relative paths are resolved against. */
  baseDir: string;
  /** The file's `deploy.<name>.env` for `--env <name>`, laid under every app's `env`. */
  deployEnv?: Record<string, unknown>;
}

/** Test seams: the filesystem and which node runs the apps. */
export interface DesiredDeps {
  host?: FileHost;
  nodePath?: string;
  nodeVersion?: string;
  /** Checks `cron_restart` (src/config/cron.ts); the loaders pass it when some app sets one. */
  cron?: CronCheck;
}

/**
 * Validates and normalises the apps found in a file (or built from CLI flags) into the desired state.
 * Every problem of every app is collected before anything is thrown.
 */
export function buildDesiredState(
  entries: AppEntry[],
  report: Report,
  validate: AppValidator,
  origin: AppsOrigin,
  options: LoadOptions,
  deps: DesiredDeps = {},
): DesiredState {
  const checked = entries.map((entry, index) => checkApp(entry, index, validate, report, options.unknownKeys));
  const names = entries.map((entry, index) => appName(entry.raw, checked[index]));
  reportDuplicates(entries, names, checked, report);

  const only = options.only ? parseOnly(options.only) : undefined;
  const known = names.filter((name): name is string => name !== undefined);
  const unknown = only ? unknownOnlyNames(only, known) : [];
  if (unknown.length > 0) {
    const message = `no app named ${unknown.map((n) => `\`${n}\``).join(', ')} in ${origin.label}; its apps are: ${known.join(', ') || '(none)'}`;
    if (report.problems.length === 0) throw new TendError('UNKNOWN_APP', message);
    report.problems.push({ message: `--only: ${message}` });
  }

  const dependencies = dependenciesOf(checked, names);
  checkDependencies(dependencies, report);
  // `--only api` brings what api depends on along (started if not running), unless `--no-deps`.
  const wanted = only && !options.noDeps ? withDependencies(only, dependencies) : only;

  const apps: AppSpec[] = [];
  const finalNames = new Map<string, string>();
  const context = {
    report,
    baseDir: origin.baseDir,
    home: options.home,
    cpus: options.cpus ?? availableParallelism(),
    env: { envName: options.envName, baseEnv: options.baseEnv, nodePath: deps.nodePath ?? process.execPath },
    portSource: origin.file ? ('env' as const) : ('cli' as const),
    originFile: origin.file?.absolute ?? null,
    host: memoHost(deps.host ?? realFileHost),
    nodePath: deps.nodePath ?? process.execPath,
    nodeVersion: deps.nodeVersion ?? process.versions.node,
    deployEnv: origin.deployEnv,
    cron: deps.cron,
  };
  checked.forEach((app, index) => {
    if (!app || (wanted && !wanted.includes(names[index] ?? ''))) return;
    const spec = normaliseApp(app, context);
    if (!spec) return;
    apps.push(spec);
    finalNames.set(names[index]!, spec.name);
  });
  withDependsOn(apps, dependencies, finalNames);

  // 20,000 instances took the daemon to 615 MB and the machine's process limit while apply waited for ever.
  const total = apps.reduce((sum, app) => sum + app.instances, 0);
  const maxProcesses = processLimit('TEND_MAX_PROCESSES', defaults.maxProcessesPerFile);
  if (total > maxProcesses)
    report.problems.push({
      message: `${origin.label} asks for ${total} processes in all, over the limit of ${maxProcesses} (TEND_MAX_PROCESSES raises it)`,
    });
  if (report.problems.length > 0) {
    const count = report.problems.length;
    throw new TendError('CONFIG_INVALID', `${origin.label}: ${plural(count, 'problem')}`, {
      problems: inFileOrder(report.problems),
    });
  }
  if (options.envName !== undefined) {
    const key = `env_${options.envName}`;
    const selected = checked.filter((app, index) => app && (!only || only.includes(names[index] ?? '')));
    if (!selected.some((app) => app && key in app.values) && origin.deployEnv === undefined) {
      report.warnings.push({ message: `--env ${options.envName}: no app defines \`${key}\`, so only \`env\` applies` });
    }
  }
  return { file: origin.file?.absolute ?? null, apps, warnings: inFileOrder(report.warnings) };
}

/** Each app's `depends_on` entries, by the app's name as written; apps without a name have none. */
function dependenciesOf(checked: (CheckedApp | undefined)[], names: (string | undefined)[]): AppDependencies[] {
  const out: AppDependencies[] = [];
  checked.forEach((app, index) => {
    const name = names[index];
    if (!app || name === undefined) return;
    const key = app.written.depends_on ?? 'depends_on';
    out.push({ name, entries: readDependsOn(app.values.depends_on, [...app.path, key]) });
  });
  return out;
}

/** Sets `dependsOn` on the apps that have one, with the names apps run under (`append_env_to_name` renames them). */
function withDependsOn(apps: AppSpec[], dependencies: AppDependencies[], finalNames: Map<string, string>): void {
  const byFinalName = new Map(dependencies.map((app) => [finalNames.get(app.name), app]));
  for (const spec of apps) {
    const entries = byFinalName.get(spec.name)?.entries ?? [];
    if (entries.length === 0) continue;
    spec.dependsOn = entries.map(({ app, condition, restart }) => ({
      app: finalNames.get(app) ?? app,
      condition,
      restart,
    }));
  }
}

/** Problems from top to bottom of the file (a stable sort: those without a position keep their place at the end). */
function inFileOrder<T extends Problem>(problems: T[]): T[] {
  const rank = (p: Problem): number =>
    p.position ? p.position.line * 1e6 + p.position.column : Number.MAX_SAFE_INTEGER;
  return [...problems].sort((a, b) => rank(a) - rank(b));
}

/** The app's name as given, or the one PM2 would derive from its script. */
function appName(raw: unknown, checked: CheckedApp | undefined): string | undefined {
  const values = checked?.values ?? (raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {});
  if (typeof values.name === 'string') return values.name;
  const script = values.script ?? values.exec ?? values.cmd ?? values.command;
  return typeof script === 'string' ? defaultName(script) : undefined;
}

function reportDuplicates(
  entries: AppEntry[],
  names: (string | undefined)[],
  checked: (CheckedApp | undefined)[],
  report: Report,
): void {
  const firstSeen = new Map<string, PathSegment[]>();
  names.forEach((name, index) => {
    if (name === undefined) return;
    const entry = entries[index]!;
    const first = firstSeen.get(name);
    if (!first) {
      firstSeen.set(name, entry.path);
      return;
    }
    const written = checked[index]?.written ?? {};
    const explicit = written.name !== undefined || checked[index] === undefined;
    const key = explicit ? (written.name ?? 'name') : (written.script ?? 'script');
    const where = first.length > 0 ? ` (also ${formatWhere(first)})` : '';
    const why = explicit ? '' : ", taken from the script's file name";
    report.problem(
      [...entry.path, key],
      `duplicate app name \`${name}\`${why}${where}; give each app its own \`name\``,
    );
  });
}

function formatWhere(path: PathSegment[]): string {
  return path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : segment)).join('');
}
