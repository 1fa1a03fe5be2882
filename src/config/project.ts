import { describeValue } from './describe-value.js';
import type { Report } from './report.js';

const PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The file's top-level `project:`, checked; undefined when the file sets none (its path is then the owner). A name,
 * not a path, so a file moved or renamed in its repo keeps owning its apps.
 */
export function projectOf(data: unknown, report: Report): string | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  if (!('project' in data)) return undefined;
  const value = (data as { project: unknown }).project;
  if (typeof value === 'string' && PROJECT_NAME.test(value)) return value;
  report.problem(
    ['project'],
    typeof value === 'string'
      ? `project \`${value}\` is not a name: 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit`
      : `project must be a name (a string); got ${describeValue(value)}`,
  );
  return undefined;
}
