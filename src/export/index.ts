/**
 * The export layer: a validated desired state in, the files of another engine out (Kubernetes, docker compose,
 * systemd), with every key that engine cannot carry. Pure: the CLI reads the file and writes the output.
 */
import type { AppSpec, DesiredState } from '../config/types.js';
import { TendError } from '../core/errors.js';
import { exportCompose } from './compose.js';
import { exportKubernetes, kubernetesName } from './kubernetes.js';
import { composeServiceName, unitPrefix } from './names.js';
import { exportSystemd } from './systemd.js';
import type { ExportOptions, ExportResult, ExportTarget } from './types.js';

export { formatLossyLines } from './lossy.js';
export {
  EXPORT_TARGETS,
  type ExportFile,
  type ExportOptions,
  type ExportResult,
  type ExportTarget,
  type LossyField,
} from './types.js';

interface Exporter {
  run(desired: DesiredState, options: ExportOptions): ExportResult;
  /** The name the app gets there: two apps must not get the same one. */
  nameOf(app: AppSpec): string;
  /** What the name is, in the collision message. */
  what: string;
}

const exporters: Record<ExportTarget, Exporter> = {
  kubernetes: { run: exportKubernetes, nameOf: kubernetesName, what: 'Kubernetes name' },
  compose: { run: exportCompose, nameOf: (app) => composeServiceName(app.name), what: 'compose service name' },
  systemd: { run: exportSystemd, nameOf: (app) => unitPrefix(app.name), what: 'systemd unit name' },
};

/**
 * The files of `target` for the apps of `desired`, and what they lose. Throws CONFIG_INVALID when two apps would get
 * the same name there (`a_b` and `a-b` are both `a-b` in Kubernetes): one would overwrite the other.
 */
export function exportDesired(target: ExportTarget, desired: DesiredState, options: ExportOptions): ExportResult {
  const exporter = exporters[target];
  const byName = new Map<string, string[]>();
  for (const app of desired.apps) {
    const name = exporter.nameOf(app);
    byName.set(name, [...(byName.get(name) ?? []), app.name]);
  }
  const clashes = [...byName].filter(([, apps]) => apps.length > 1);
  if (clashes.length > 0)
    throw new TendError('CONFIG_INVALID', `apps would share a name in ${target}; rename one of them`, {
      problems: clashes.map(([name, apps]) => ({
        message: `apps ${apps.join(', ')} all become the ${exporter.what} ${name}`,
      })),
    });
  return exporter.run(desired, options);
}
