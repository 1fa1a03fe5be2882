import { resolve } from 'node:path';
import { loadDesiredState } from '../../config/index.js';
import type { ConfigWarning, DesiredState } from '../../config/types.js';
import { formatPlan, hasChanges } from '../../plan/format.js';
import type { Plan, PlanOptions } from '../../plan/types.js';
import { paths, withDaemon } from '../context.js';
import { useColor, paint } from '../output.js';
import { callWithProgress, reportResult } from '../progress.js';
import { splitList } from '../list-option.js';

export interface FileOptions {
  only?: string;
  env?: string;
  prune?: boolean;
  dryRun?: boolean;
  exitCode?: boolean;
  /** Exact names, for callers that already know them (`--only` is split on commas and spaces). */
  onlyNames?: string[];
  /** false with `--no-deps`: `--only` does not bring along the apps its apps depend on. */
  deps?: boolean;
}

/** Reads and validates the file before the daemon is even contacted: bad input changes nothing. */
export async function loadForApply(
  file: string,
  options: FileOptions,
  baseEnv: 'clean' | 'shell',
): Promise<DesiredState> {
  const desired = await loadDesiredState(resolve(file), {
    home: paths().home,
    envName: options.env,
    only: splitList(options.only),
    noDeps: options.deps === false,
    baseEnv: baseEnv === 'clean' ? { kind: 'clean' } : { kind: 'shell', vars: shellEnv() },
  });
  printWarnings(desired.warnings);
  return desired;
}

/** The file's warnings on stderr, each with its file, line, column and key. */
export function printWarnings(warnings: readonly ConfigWarning[]): void {
  for (const warning of warnings) {
    const where = warning.position
      ? `${warning.position.file}:${warning.position.line}:${warning.position.column} `
      : '';
    process.stderr.write(
      `${paint('warning', 'yellow', useColor(process.stderr))}: ${where}${warning.path ? `${warning.path}: ` : ''}${warning.message}\n`,
    );
  }
}

/** The caller's environment, for PM2-style `tend start`; TEND_HOME is tend's own business. */
export function shellEnv(): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'TEND_HOME') vars[k] = v;
  return vars;
}

/** What the daemon plans with; `noDeps` only when `--no-deps` was given, so an older daemon's check still passes. */
function planOptionsOf(options: FileOptions): PlanOptions {
  const only = options.onlyNames ?? splitList(options.only);
  return { only, prune: options.prune, ...(options.deps === false ? { noDeps: true } : {}) };
}

/** `tend plan FILE`: the plan against the live state; with --exit-code, 2 means drift. */
export async function planCommand(
  file: string,
  options: FileOptions & { parent?: unknown },
  command?: { optsWithGlobals(): Record<string, unknown> },
): Promise<number> {
  const desired = await loadForApply(file, options, 'clean');
  const verbose = Boolean(command?.optsWithGlobals().verbose);
  const plan = await withDaemon((client) => client.call('plan', { desired, options: planOptionsOf(options) }));
  process.stdout.write(`${formatPlan(plan, { verbose, color: useColor() })}\n`);
  return options.exitCode && hasChanges(plan) ? 2 : 0;
}

/** `tend apply FILE`: validate, plan, carry out, and wait until every started instance is up or has failed. */
export async function applyCommand(
  file: string,
  options: FileOptions,
  command?: { optsWithGlobals(): Record<string, unknown> },
): Promise<number> {
  const desired = await loadForApply(file, options, 'clean');
  return applyDesired(desired, options, Boolean(command?.optsWithGlobals().verbose));
}

export async function applyDesired(desired: DesiredState, options: FileOptions, verbose: boolean): Promise<number> {
  const planOptions = planOptionsOf(options);
  const color = useColor();
  return withDaemon(async (client) => {
    if (options.dryRun) {
      const plan = await client.call('plan', { desired, options: planOptions });
      process.stdout.write(`${formatPlan(plan, { verbose, color })}\n`);
      return 0;
    }
    // The daemon plans in turn with every other change and sends the plan before it acts: a plan asked for
    // separately could be stale by the time the apply runs (a command in between), and would then be skipped or misreported.
    const printPlan = (plan: Plan) => process.stdout.write(`${formatPlan(plan, { verbose, color })}\n`);
    return reportResult(
      await callWithProgress(client, 'apply', { desired, options: planOptions }, color, printPlan),
      color,
    );
  });
}
