import { mkdirSync, writeFileSync, unlinkSync, chmodSync, readdirSync, readFileSync } from 'node:fs';
import { tryConnect } from '../runtime/unix-socket.js';
import { dirname, join } from 'node:path';
import { resolvePaths } from '../core/home.js';
import { Daemon } from './daemon.js';
import { installSafeConsole } from './daemon-log.js';
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
  mkdirSync(paths.home, { recursive: true, mode: 0o700 });
  chmodSync(paths.home, 0o700);
  mkdirSync(paths.logsDir, { recursive: true, mode: 0o700 });
  // Another daemon already answers on this home's socket: two would fight over the same apps.
  const other = await tryConnect(paths.socket);
  if (other) {
    other.destroy();
    console.error(`another tend daemon already serves ${paths.socket}`);
    process.exit(0);
  }
  // The daemon is `node <dist>/daemon.cjs`: its folder holds the files it starts (log writer, cluster primary, probe).
  const daemon = new Daemon(
    paths,
    typeof TEND_VERSION === 'string' ? TEND_VERSION : '0.0.0',
    dirname(process.argv[1]!),
  );
  removeStaleTemporaries(paths.home);
  const warnings = daemon.restore();
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
  writeFileSync(paths.pidFile, `${process.pid}\n`, { mode: 0o600 });
  // SIGTERM/SIGINT end the daemon but not the apps: a new daemon takes them back (see ARCHITECTURE.md).
  process.on('SIGTERM', () => void exit(0));
  process.on('SIGINT', () => void exit(0));
  process.on('SIGHUP', () => undefined);
  // A bug in one callback must not take every app's supervisor down with it: log it loudly and go on.
  process.on('uncaughtException', (err) => console.error('tend daemon: uncaught exception:', err));
  process.on('unhandledRejection', (err) => console.error('tend daemon: unhandled rejection:', err));
  console.log(`tend daemon ${process.pid} serving ${paths.socket}`);
}

main().catch((err: unknown) => {
  console.error('tend daemon failed to start:', err);
  process.exit(1);
});
