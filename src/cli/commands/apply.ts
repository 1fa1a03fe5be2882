import { resolve } from 'node:path';
import { loadDesiredState } from '../../config/index.js';
import type { ConfigWarning, DesiredState } from '../../config/types.js';
import { formatPlan, hasChanges } from '../../plan/format.js';
import { desiredFingerprint, staleError } from '../../plan/fingerprint.js';
import { deniedError, gateViolations, parseDeny, parseMaxUnavailable } from '../../plan/gates.js';
import { planJson } from '../../plan/plan-json.js';
import type { ApplyGuard, Plan, PlanOptions } from '../../plan/types.js';
import { withOwner, withOwnerKey } from '../owner.js';
import { planOnDaemon } from '../plan-call.js';
import { checkSavedPlan, readSavedPlanIfAny, savedPlanOf, writeSavedPlan } from '../saved-plan.js';
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
  /** `--take-over`: take apps another file, project or the command line applied. */
  takeOver?: boolean;
  /** `--deny restart,delete` and `--max-unavailable N`: CI gates, checked before anything is done. */
  deny?: string;
  maxUnavailable?: string;
  /** apply only: put back what the apply touched if an instance it starts is not up (and ready) in time. */
  atomic?: boolean;
  /** plan only: `--json` (the plan as JSON on stdout) and `-o FILE` (a saved plan for `tend apply FILE`). */
  json?: boolean;
  out?: string;
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
  return {
    only,
    prune: options.prune,
    ...(options.deps === false ? { noDeps: true } : {}),
    ...(options.takeOver ? { takeOver: true } : {}),
  };
}

/** The CI gates the options name, checked (an unknown action kind is a usage error before the daemon is asked). */
function gatesOf(options: FileOptions): NonNullable<ApplyGuard['gates']> {
  return {
    ...(options.deny !== undefined ? { deny: parseDeny(options.deny) } : {}),
    ...(options.maxUnavailable !== undefined ? { maxUnavailable: parseMaxUnavailable(options.maxUnavailable) } : {}),
  };
}

/** `tend plan FILE`: the plan against the live state; with --exit-code, 2 means drift. */
export async function planCommand(
  file: string,
  options: FileOptions & { parent?: unknown },
  command?: { optsWithGlobals(): Record<string, unknown> },
): Promise<number> {
  const gates = gatesOf(options);
  // A plan needs the owner's key only: the record (hash, git) is the apply's to keep.
  const desired = await withOwnerKey(await loadForApply(file, options, 'clean'));
  const verbose = Boolean(command?.optsWithGlobals().verbose);
  const planOptions = planOptionsOf(options);
  const save = options.out !== undefined;
  const plan = await withDaemon((client) => planOnDaemon(client, desired, planOptions, save));
  const violations = gateViolations(plan, gates);
  if (options.json) process.stdout.write(`${JSON.stringify(planJson(plan, violations), null, 2)}\n`);
  else process.stdout.write(`${formatPlan(plan, { verbose, color: useColor() })}\n`);
  if (violations.length > 0) throw deniedError(violations);
  if (options.out !== undefined) {
    const saved = savedPlanOf({
      home: paths().home,
      file: resolve(file),
      load: { env: options.env, only: options.only, deps: options.deps },
      options: planOptions,
      gates,
      desired: desiredFingerprint(desired),
      observed: plan.observed ?? {},
      plan,
    });
    await writeSavedPlan(options.out, saved);
    if (!options.json)
      process.stdout.write(
        `Saved the plan to ${options.out}: \`tend apply ${options.out}\` carries out exactly this plan.\n`,
      );
  }
  return options.exitCode && hasChanges(plan) ? 2 : 0;
}

/** `tend apply FILE`: validate, plan, carry out, and wait until every started instance is up or has failed. */
export async function applyCommand(
  file: string,
  options: FileOptions,
  command?: { optsWithGlobals(): Record<string, unknown> },
): Promise<number> {
  const verbose = Boolean(command?.optsWithGlobals().verbose);
  const saved = await readSavedPlanIfAny(resolve(file));
  if (saved !== undefined) return applySavedPlan(file, saved, options, verbose);
  const desired = await loadForApply(file, options, 'clean');
  return applyDesired(desired, options, verbose);
}

/**
 * `tend apply plan.json`: the file is read again as the plan read it; when its desired state or the running apps it
 * looked at moved since, the plan is stale and nothing is done (the daemon checks the running side in turn with
 * every other change, so nothing can slip in between).
 */
async function applySavedPlan(path: string, data: unknown, options: FileOptions, verbose: boolean): Promise<number> {
  const saved = checkSavedPlan(path, data, paths().home);
  const load: FileOptions = { env: saved.load.env, only: saved.load.only, deps: saved.load.deps };
  let desired: DesiredState;
  try {
    desired = await loadForApply(saved.file, load, 'clean');
  } catch (err) {
    throw staleError(`${saved.file} cannot be read as it was (${err instanceof Error ? err.message : String(err)})`);
  }
  if (desiredFingerprint(desired) !== saved.desired)
    throw staleError(`${saved.file} (or an env_file it reads) changed since the plan was made`);
  const gates = { ...saved.gates, ...gatesOf(options) };
  return applyDesired(
    desired,
    {
      ...options,
      onlyNames: saved.options.only,
      prune: saved.options.prune,
      deps: !saved.options.noDeps,
      takeOver: saved.options.takeOver,
    },
    verbose,
    {
      gates,
      expect: saved.observed,
    },
  );
}

export async function applyDesired(
  unowned: DesiredState,
  options: FileOptions,
  verbose: boolean,
  guard: ApplyGuard = {},
): Promise<number> {
  const planOptions = planOptionsOf(options);
  const gates = guard.gates ?? gatesOf(options);
  const desired = await withOwner(unowned);
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
      await callWithProgress(
        client,
        'apply',
        { desired, options: planOptions, gates, ...(options.atomic ? { atomic: true } : {}), ...guard },
        color,
        printPlan,
      ),
      color,
    );
  });
}
