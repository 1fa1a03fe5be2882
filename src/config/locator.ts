import type { SourcePosition } from '../core/errors.js';
import type { PathSegment } from './key-path.js';

/**
 * Finds where a key or value sits in the source file, so a message can say `file:line:column`.
 * YAML and JSON files answer exactly; JS files by searching the text; apps from CLI flags not at all.
 */
export interface Locator {
  /** `key`: where the key is written (for unknown keys); `value`: where its value starts. */
  find(path: readonly PathSegment[], at: 'key' | 'value'): SourcePosition | undefined;
}

/** For apps that have no source text (built from CLI flags). */
export const nowhere: Locator = { find: () => undefined };
