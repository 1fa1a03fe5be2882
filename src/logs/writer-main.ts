// The log writer of one instance (bundled as dist/log-writer.js): reads the app's stdout and stderr
// pipes (fds 3 and 4) and writes its log files with time prefixes, JSON lines or rotation. It runs
// detached like the app, so a daemon killed with SIGKILL loses no line, and exits once the app's pipes close.
import { appendFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { startWriter, type WriterInput } from './writer.js';
import { WRITER_CONFIG_VAR, type WriterConfig } from './writer-config.js';
import { registerWriter, unregisterWriter } from './writer-registry.js';

const raw = process.env[WRITER_CONFIG_VAR];
if (!raw) {
  console.error(`tend log writer: ${WRITER_CONFIG_VAR} is required`);
  process.exit(2);
}
const config = JSON.parse(raw) as WriterConfig;
// The writer's own trouble goes beside the writers' registry, never into the app's files as if the app said it.
const reportFile = join(config.home, 'log-writers', 'errors.log');
const report = (message: string): void => {
  try {
    appendFileSync(
      reportFile,
      `${new Date().toISOString()} ${config.app}#${config.instance} (pid ${process.pid}): ${message}\n`,
    );
  } catch {
    // Nowhere left to say it.
  }
};

const inputs = new Map<number, WriterInput>();
for (const stream of config.streams)
  inputs.set(stream.fd, new Socket({ fd: stream.fd, readable: true, writable: false }));

const entry = registerWriter(config.home, {
  pid: process.pid,
  app: config.app,
  instance: config.instance,
  files: [...new Set([...config.streams.map((s) => s.file), ...(config.combined ? [config.combined] : [])])],
});
const writer = startWriter(config, inputs, { now: Date.now, report });
// SIGUSR2 is PM2's signal for reopening log files (pm2 reloadLogs); SIGHUP must not end a detached writer.
process.on('SIGUSR2', () => writer.reopen());
process.on('SIGHUP', () => undefined);
// A dead writer would close the app's pipes and break the app (EPIPE): a bug here is reported, not fatal.
process.on('uncaughtException', (error) => {
  report(`unexpected: ${error.stack ?? error.message}`);
});
void writer.done.then(() => {
  unregisterWriter(entry);
  process.exit(0);
});
