import { appProcessesOfHome } from '../runtime/home-processes.js';
import { copyAside, backupOf, readStateLeniently, setAside, type StoredApp, type StoredState } from './state-store.js';

/** The state a starting daemon takes back, and what it has to tell the user about the file it came from. */
export interface LoadedState {
  state: StoredState;
  warnings: string[];
}

function backup(file: string): StoredState | null {
  try {
    return readStateLeniently(backupOf(file)).state;
  } catch {
    return null;
  }
}

const names = (apps: StoredApp[]): string => apps.map((a) => a.spec.name).join(', ');

/**
 * Reads the state file. A damaged one is never overwritten: it is set aside (or copied aside when part of
 * it is used), and what it lost is taken from the backup copy written after it (`state.json.bak`), so the
 * apps it named stay supervised. Processes of the home that no state names any more are listed by pid.
 */
export function loadState(file: string, home: string): LoadedState {
  const warnings: string[] = [];
  let state: StoredState;
  try {
    const loaded = readStateLeniently(file);
    state = loaded.state;
    if (loaded.skipped.length > 0) {
      const kept = copyAside(file);
      const have = new Set(state.apps.map((a) => a.spec.name));
      const back = (backup(file)?.apps ?? []).filter(
        (a) => loaded.skippedNames.includes(a.spec.name) && !have.has(a.spec.name),
      );
      state = { ...state, apps: [...state.apps, ...back] };
      const left = loaded.skippedNames.filter((n) => !back.some((a) => a.spec.name === n));
      warnings.push(
        `${file}: ${loaded.skipped.join('; ')}; ` +
          (back.length > 0
            ? `${names(back)} taken back from the backup copy ${backupOf(file)}`
            : 'those apps were left out') +
          `${left.length > 0 && back.length > 0 ? `; ${left.join(', ')} left out` : ''} (the file as it was is kept as ${kept})`,
      );
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const before = backup(file);
    state = before ?? { version: 1, nextId: 0, apps: [] };
    let aside: string;
    try {
      aside = `it was set aside as ${setAside(file)}`;
    } catch (renameError) {
      aside = `it could not be set aside (${(renameError as Error).message})`;
    }
    const recovered =
      before && before.apps.length > 0
        ? `the daemon took back ${names(before.apps)} from the backup copy ${backupOf(file)}`
        : 'the daemon started with no apps';
    warnings.push(`${message}; ${aside} and ${recovered}`);
  }
  if (warnings.length > 0) warnings.push(...strays(home, state));
  return { state, warnings };
}

/** App processes of this home still running that the state does not name: nothing supervises them now. */
function strays(home: string, state: StoredState): string[] {
  const known = new Set(state.apps.flatMap((a) => a.processes.map((p) => p.pid)));
  const lost = appProcessesOfHome(home).filter((p) => !known.has(p.pid));
  if (lost.length === 0) return [];
  const list = lost.map((p) => `pid ${p.pid} (${p.app}, id ${p.id})`).join(', ');
  return [
    `${lost.length === 1 ? 'this process still runs' : 'these processes still run'} but no state names ${lost.length === 1 ? 'it' : 'them'}, so tend does not supervise ${lost.length === 1 ? 'it' : 'them'}: ${list}; \`tend kill\` stops every process of this home, or stop ${lost.length === 1 ? 'it' : 'them'} with \`kill PID\` (applying the app again would start a second copy beside ${lost.length === 1 ? 'it' : 'them'})`,
  ];
}
