import { writeSync } from 'node:fs';
import { format } from 'node:util';

/**
 * The daemon's stdout and stderr are its log file. On a full disk Node's console would throw (or emit an
 * 'error' nobody can report without writing again), and the daemon would spin or die; a daemon that cannot
 * write its log must go on supervising. So every console call writes with one plain write(2) that may fail,
 * and the lines lost that way are counted and told once writing works again.
 */
export function installSafeConsole(): void {
  let dropped = 0;
  const writer =
    (fd: number) =>
    (...args: unknown[]): void => {
      const line = `${format(...args)}\n`;
      try {
        if (dropped > 0) {
          writeSync(fd, `tend daemon: ${dropped} log line(s) lost while the log could not be written\n`);
          dropped = 0;
        }
        writeSync(fd, line);
      } catch {
        dropped += 1;
      }
    };
  console.log = writer(1);
  console.info = writer(1);
  console.warn = writer(2);
  console.error = writer(2);
  console.debug = writer(1);
}
