import { dirname } from 'node:path';
import { TendError } from '../core/errors.js';
import { plural } from '../core/plural.js';
import { checkDeploySection, type DeployTarget } from './deploy-target.js';
import { deployValidator } from './deploy-validator.js';
import { readSource } from './read-source.js';
import { Report } from './report.js';

/**
 * Reads an ecosystem file's `deploy` section for `tend deploy`: every target is checked (a problem anywhere in the
 * section is reported, with its position), then the one named is returned. Throws CONFIG_INVALID, or USAGE for a
 * name the file does not define.
 */
export async function loadDeployTarget(file: string, name: string): Promise<DeployTarget> {
  const [source, validate] = await Promise.all([readSource(file), deployValidator()]);
  const report = new Report(source.locator);
  const targets = checkDeploySection(source.data, validate, report, dirname(source.absoluteFile));
  if (report.problems.length > 0)
    throw new TendError('CONFIG_INVALID', `${source.file}: ${plural(report.problems.length, 'problem')}`, {
      problems: report.problems,
    });
  const target = targets.get(name);
  if (target) return target;
  const names = [...targets.keys()];
  throw new TendError(
    'USAGE',
    names.length === 0
      ? `${source.file} has no \`deploy\` section: add \`deploy: { ${name}: { host, repo, path, ... } }\``
      : `${source.file} has no deployment target \`${name}\`; it has ${names.map((n) => `\`${n}\``).join(', ')}`,
  );
}
