import { closeSync, existsSync, readdirSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { resolvePaths } from '../core/home.js';
import { Daemon } from './daemon.js';
import { installSafeConsole } from './daemon-log.js';
import { claimHome } from './claim-home.js';
import { serveControlSocket } from './server.js';

declare const TEND_VERSION: string;

/** Half-written state files of a daemon killed mid-write (`state.json.<pid>.tmp`): the rename never happened, so they are garbage. */
function removeStaleTemporaries(home: string): void {
  for (const name of readdirSync(home)) {
    if (!/^(state|dump)\.json(\.bak)?(\.\d+){1,2}\.tmp$/.test(name)) continue;
    try {
      unlinkSync(join(home, name));
    } catch {
      // Gone already.
    }
  }
}

async function main(): Promise<void> {
  installSafeConsole();
  const paths = resolvePaths();
  if ((await claimHome(paths)) === 'taken') {
    console.error(`another tend daemon already serves ${paths.socket}`);
    process.exit(0);
  }
  // A daemon that exits removes its pid file: one left behind (nobody answers the socket) died, maybe mid-apply.
  const afterCrash = existsSync(paths.pidFile);
  // First of all: a home whose disk cannot take the pid file (full, read-only) fails here, before any app is taken
  // back or started and before a socket is bound that a CLI would reach and find nobody behind.
  writeFileSync(paths.pidFile, `${process.pid}\n`, { mode: 0o600 });
  // The daemon is `node <dist>/daemon.cjs`: its folder holds the files it starts (log writer, cluster primary, probe).
  const daemon = new Daemon(
    paths,
    typeof TEND_VERSION === 'string' ? TEND_VERSION : '0.0.0',
    dirname(process.argv[1]!),
  );
  removeStaleTemporaries(paths.home);
  const warnings = daemon.restore({ afterCrash });
  let closing = false;
  const exit = async (code: number): Promise<void> => {
    if (closing) return;
    closing = true;
    server.close();
    await daemon.shutdown();
    try {
      // A daemon started right after this one answered `kill` may have written its own pid there already.
      if (readFileSync(paths.pidFile, 'utf8').trim() === String(process.pid)) unlinkSync(paths.pidFile);
    } catch {
      // Already gone.
    }
    process.exit(code);
  };
  const server = await serveControlSocket(
    daemon,
    paths.socket,
    () => void exit(0),
    () => warnings,
  );
  // SIGTERM/SIGINT end the daemon but not the apps: a new daemon takes them back (see ARCHITECTURE.md).
  process.on('SIGTERM', () => void exit(0));
  process.on('SIGINT', () => void exit(0));
  process.on('SIGHUP', () => undefined);
  // A bug in one callback must not take every app's supervisor down with it: log it loudly and go on.
  process.on('uncaughtException', (err) => console.error('tend daemon: uncaught exception:', err));
  process.on('unhandledRejection', (err) => console.error('tend daemon: unhandled rejection:', err));
  console.log(`tend daemon ${process.pid} serving ${paths.socket}`);
}

// The CLI that started this daemon reads how its start went on the fd it names (cli/daemon-start.ts): "ok", or the
// reason. A daemon started another way (by hand, by an init system) is told of no such fd and writes nothing.
const startReport = process.env.TEND_START_REPORT_FD === '3' ? 3 : null;
delete process.env.TEND_START_REPORT_FD;
function tellStarter(line: string): void {
  if (startReport === null) return;
  try {
    writeSync(startReport, `${line}\n`);
    closeSync(startReport);
  } catch {
    // Nobody asked.
  }
}

main().then(
  () => tellStarter('ok'),
  (err: unknown) => {
    console.error('tend daemon failed to start:', err);
    tellStarter(`error: ${startFailure(err)}`);
    process.exit(1);
  },
);

/** One line for the user: a full disk or a refused permission said as such, with the path. */
function startFailure(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const where = e.path ? ` (${e.path})` : '';
  if (e.code === 'ENOSPC') return `no space left on the device that holds the home${where}; free some space and retry`;
  if (e.code === 'EACCES' || e.code === 'EPERM') return `no permission${where}: ${e.message}`;
  if (e.code === 'EROFS') return `the home is on a read-only file system${where}`;
  return err instanceof Error ? err.message : String(err);
}
