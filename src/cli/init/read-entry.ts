import { desiredFromApps } from '../../config/index.js';
import type { Normalise } from './from-running.js';

/** How `tend plan` reads an app of the written file: clean base environment, paths from the file's folder. */
export function planReader(baseDir: string, home: string): Normalise {
  return async (entry) => {
    try {
      const desired = await desiredFromApps([entry], {
        home,
        baseEnv: { kind: 'clean' },
        cwd: baseDir,
        origin: 'the written file',
      });
      const spec = desired.apps[0];
      return spec ? { spec, warnings: desired.warnings.length } : null;
    } catch {
      return null;
    }
  };
}
