/**
 * A module's apps go to the daemon the way `tend apply` sends a file's: one `apply` of the module's DesiredState,
 * planned and carried out in the daemon's queue, printed as it goes. Only the module's own apps are in the plan
 * (`only`), so nothing else is touched, and an app of the same name that the module does not own is refused first.
 */
import type { ProcessView } from '../../api/methods.js';
import type { DesiredState } from '../../config/types.js';
import { TendError } from '../../core/errors.js';
import { formatPlan } from '../../plan/format.js';
import type { Plan, PlanOptions } from '../../plan/types.js';
import type { DaemonClient } from '../client.js';
import { useColor } from '../output.js';
import { ownerOf } from '../owner.js';
import { callWithProgress, reportResult } from '../progress.js';

/** The names of the apps `module` owns in the daemon now. */
export function appsOfModule(views: readonly ProcessView[], module: string): string[] {
  return [...new Set(views.filter((v) => v.module === module).map((v) => v.name))];
}

/** Names the module wants that another app (of a file, another module, `tend start`) already has. */
export function takenNames(views: readonly ProcessView[], module: string, wanted: readonly string[]): string[] {
  return wanted.filter((name) => views.some((v) => v.name === name && (v.module ?? null) !== module));
}

export interface ModuleApplyOptions {
  /** Also delete the module's apps its package no longer declares (install over an older version, update). */
  prune?: boolean;
  /** Restart the module's running apps even when their spec did not change (its code did: update, reinstall). */
  restart?: boolean;
}

/** Applies the module's apps; the exit code of the apply (1 when an instance failed to come up). */
export async function applyModuleApps(
  client: DaemonClient,
  module: string,
  desired: DesiredState,
  options: ModuleApplyOptions = {},
): Promise<number> {
  const views = await client.call('list', undefined);
  const names = desired.apps.map((app) => app.name);
  const taken = takenNames(views, module, names);
  if (taken.length > 0)
    throw new TendError(
      'USAGE',
      `${module} declares ${taken.map((n) => `\`${n}\``).join(', ')}, a name already used by an app that is not this module's; delete that app first`,
    );
  const only = [...new Set([...names, ...appsOfModule(views, module)])];
  const planOptions: PlanOptions = {
    only,
    ...(options.prune ? { prune: true } : {}),
    ...(options.restart ? { restart: 'restart' as const } : {}),
  };
  // Owned by the module, not by its package.json's path: a file's `--prune` leaves these apps alone, an update's
  // prune takes the apps a new version dropped, and a file naming one of them is refused (plan/ownership.ts).
  const owner = { ...(await ownerOf(desired)), key: `module:${module}` };
  const color = useColor();
  const printPlan = (plan: Plan) => process.stdout.write(`${formatPlan(plan, { verbose: false, color })}\n`);
  return reportResult(
    await callWithProgress(client, 'apply', { desired: { ...desired, owner }, options: planOptions }, color, printPlan),
    color,
  );
}
