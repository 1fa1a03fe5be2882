import type { Problem } from '../core/errors.js';
import { formatPath, type PathSegment } from './key-path.js';
import type { Locator } from './locator.js';
import type { ConfigWarning } from './types.js';

/** Collects every problem and warning of a load, each with its key path and source position, so all are reported at once. */
export class Report {
  readonly problems: Problem[] = [];
  readonly warnings: ConfigWarning[] = [];

  constructor(private readonly locator: Locator) {}

  /** Something that stops the file from being used. `at: 'key'` points at the key rather than its value. */
  problem(path: readonly PathSegment[], message: string, at: 'key' | 'value' = 'value'): void {
    this.problems.push(this.entry(path, message, at));
  }

  /** Something the user should know that does not stop the file from being used. */
  warn(path: readonly PathSegment[], message: string, at: 'key' | 'value' = 'key'): void {
    this.warnings.push(this.entry(path, message, at));
  }

  private entry(path: readonly PathSegment[], message: string, at: 'key' | 'value'): Problem {
    const position = this.locator.find(path, at);
    const formatted = formatPath(path);
    return { message, ...(formatted ? { path: formatted } : {}), ...(position ? { position } : {}) };
  }
}
