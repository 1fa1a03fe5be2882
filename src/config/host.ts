import { accessSync, constants, statSync } from 'node:fs';

/** The few filesystem questions normalisation asks, behind a port so tests can answer them. */
export interface FileHost {
  kind(path: string): 'file' | 'folder' | undefined;
  isExecutable(path: string): boolean;
  /** A text file's content (`env_file`), or undefined if it cannot be read; absent: read from the disk. */
  readText?(path: string): string | undefined;
}

/** The real filesystem. */
export const realFileHost: FileHost = {
  kind(path) {
    try {
      const info = statSync(path);
      return info.isFile() ? 'file' : info.isDirectory() ? 'folder' : undefined;
    } catch {
      return undefined;
    }
  },
  isExecutable(path) {
    try {
      accessSync(path, constants.X_OK);
      return statSync(path).isFile();
    } catch {
      return false;
    }
  },
};
