import type { Locator } from './locator.js';

/** The parsed content of an ecosystem file and a way back to positions in its text. */
export interface Source {
  /** The path as the user gave it, used in messages. */
  file: string;
  /** Absolute path; relative `cwd`s are resolved against its folder. */
  absoluteFile: string;
  data: unknown;
  locator: Locator;
}
