import { join } from 'node:path';
import { selectTargets, unknownTargetsError } from '../../api/selectors.js';
import { nameProblem, toWords, watchSpecFor, withShellBase } from '../../config/index.js';
import type { AppSpec } from '../../config/types.js';
import { TendError } from '../../core/errors.js';
import { formatPlan } from '../../plan/format.js';
import type { Plan } from '../../plan/types.js';
import { paths, withDaemon } from '../context.js';
import { useColor } from '../output.js';
import { callWithProgress, reportResult } from '../progress.js';
import { toSelection } from '../selectors.js';
import { shellEnv } from './apply.js';

/** PM2's options of `restart`/`reload APP` (and `start APP`) that change what the app runs with. */
export interface RestartOptions {
  /** `-a/--update-env`: the caller's shell replaces the environment the app was started with. */
  updateEnv?: boolean;
  /** New interpreter flags; `null` (the word) clears them. */
  nodeArgs?: string;
  interpreterArgs?: string;
  /** A new name for the app. */
  name?: string;
  /** Watch again (its cwd, or these comma-separated paths): `stop` turned watching off. */
  watch?: boolean | string;
}

/** Whether the options ask for anything beyond a plain restart. */
export function changesSpec(o: RestartOptions): boolean {
  return (
    o.updateEnv === true ||
    o.nodeArgs !== undefined ||
    o.interpreterArgs !== undefined ||
    o.name !== undefined ||
    (o.watch !== undefined && o.watch !== false)
  );
}

/**
 * `tend restart|reload APP --update-env --node-args=… --name=NEW --watch`: the app's stored spec with those options,
 * applied through the planner as a restart (or, `reload`, a rolling reload of a cluster app), stopped instances
 * started. `--name` renames: the app is stopped and forgotten under its old name and started under the new one.
 */
export async function restartWithOptions(
  verb: 'restart' | 'reload',
  args: string[],
  o: RestartOptions,
  verbose = false,
): Promise<number> {
  if (o.name !== undefined) {
    const bad = nameProblem(o.name);
    if (bad) throw new TendError('USAGE', `--name: ${bad}`);
  }
  const selection = await toSelection(args);
  const color = useColor();
  return withDaemon(async (client) => {
    const list = await client.call('list', undefined);
    const { selected, unknown } = selectTargets(list, selection, (p) => p);
    if (unknown.length > 0) throw unknownTargetsError(unknown, [...new Set(list.map((p) => p.name))]);
    const names = [...new Set(selected.map((p) => p.name))];
    if (o.name !== undefined) {
      if (names.length !== 1)
        throw new TendError(
          'USAGE',
          `--name renames one app, and ${args.join(' ')} names ${names.length}: ${names.join(', ')}`,
        );
      if (names[0] !== o.name && list.some((p) => p.name === o.name))
        throw new TendError('USAGE', `--name: an app named \`${o.name}\` already exists; nothing was changed`);
    }
    const specs = (await client.call('specs', { names })).map((view) => withOptions(view.spec, o));
    const renamed = o.name !== undefined && names[0] !== o.name;
    if (renamed)
      process.stdout.write(
        `renaming ${names[0]} to ${o.name}: stopped and forgotten as ${names[0]}, started as ${o.name}\n`,
      );
    const printPlan = (plan: Plan) => process.stdout.write(`${formatPlan(plan, { verbose, color })}\n`);
    const result = await callWithProgress(
      client,
      'apply',
      {
        desired: { file: null, apps: specs, warnings: [] },
        // A rename is the old app deleted (not in the desired state, pruned) and the new one started.
        options: { only: renamed ? [...names, o.name!] : names, restart: verb, prune: renamed },
      },
      color,
      printPlan,
    );
    return reportResult(result, color);
  });
}

/** The stored spec with the options laid over it. */
function withOptions(stored: AppSpec, o: RestartOptions): AppSpec {
  let spec = o.updateEnv ? withShellBase(stored, shellEnv()) : stored;
  const nodeArgs = o.nodeArgs ?? o.interpreterArgs;
  if (nodeArgs !== undefined)
    spec = { ...spec, run: { ...spec.run, interpreterArgs: nodeArgs.trim() === 'null' ? [] : toWords(nodeArgs) } };
  if (o.watch !== undefined && o.watch !== false) {
    const watch = watchSpecFor(o.watch === true ? true : o.watch.split(','), spec.run.cwd);
    spec = { ...spec, policy: { ...spec.policy, watch } };
  }
  if (o.name !== undefined && o.name !== spec.name) spec = renamed(spec, o.name);
  return spec;
}

/** The app under a new name; its log files follow the name when they are tend's defaults (`<old>-out.log`). */
function renamed(spec: AppSpec, name: string): AppSpec {
  const logsDir = join(paths().home, 'logs');
  const follow = (file: string | null | undefined, suffix: string): string | null | undefined =>
    file === join(logsDir, `${spec.name}${suffix}`) ? join(logsDir, `${name}${suffix}`) : file;
  const logs = {
    ...spec.logs,
    out: follow(spec.logs.out, '-out.log') ?? null,
    err: follow(spec.logs.err, '-err.log') ?? null,
  };
  const combined = follow(spec.logs.combined, '.log');
  if (combined) logs.combined = combined;
  return { ...spec, name, logs };
}
