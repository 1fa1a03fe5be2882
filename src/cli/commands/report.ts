import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import type { ProcessView } from '../../api/methods.js';
import { looksSecret } from '../../api/secrets.js';
import { readLastLines } from '../../runtime/log-files.js';
import { paths, withDaemon } from '../context.js';
import { renderList } from '../fast/list-render.js';
import { formatBytes, formatDuration, terminalSafe } from '../output.js';

declare const TEND_VERSION: string;

/** Lines of daemon.log a report carries: enough for the last start and what went wrong since. */
const LOG_LINES = 30;

interface DaemonFacts {
  pid: number;
  version: string;
  uptimeMs: number | null;
  rssBytes: number | null;
  warnings: string[];
}

export interface Report {
  tend: string;
  node: string;
  os: string;
  home: string;
  daemon: DaemonFacts | null;
  processes: ProcessView[];
  daemonLog: string[];
}

/**
 * Masks what looks like a secret in a log line: `NAME=value` / `NAME: value` where the name looks secret (the rule
 * `show` and `jlist` use), and a `token=` in an address (the dashboard's).
 */
export function maskLine(line: string): string {
  return line
    .replace(
      /\b([A-Za-z_][A-Za-z0-9_]*)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&]+)/g,
      (whole, name: string, sep: string) => (looksSecret(name) ? `${name}${sep}***` : whole),
    )
    .replace(/([?&]token=)[^&\s]+/gi, '$1***');
}

function osName(): string {
  let pretty = '';
  try {
    pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? '';
  } catch {
    // Not Linux, or a minimal image.
  }
  return `${os.type()} ${os.release()} ${os.arch()}${pretty ? `, ${pretty}` : ''}`;
}

function rssOf(pid: number): number | null {
  try {
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}

async function gather(): Promise<Report> {
  const home = paths();
  // A report never starts a daemon: "not running" is a fact the report must carry.
  const daemon = await withDaemon(
    async (client) => {
      const pong = await client.call('ping', undefined);
      const processes = await client.call('list', undefined);
      return { pong, processes };
    },
    { start: false },
  ).catch(() => null);
  let started: number | null = null;
  try {
    started = statSync(home.pidFile).mtimeMs;
  } catch {
    // No pid file.
  }
  const daemonLog = await readLastLines(home.daemonLog, LOG_LINES).catch(() => []);
  return {
    tend: typeof TEND_VERSION === 'string' ? TEND_VERSION : '0.0.0',
    node: process.version,
    os: osName(),
    home: home.home,
    daemon: daemon && {
      pid: daemon.pong.pid,
      version: daemon.pong.version,
      uptimeMs: started === null ? null : Math.max(0, Date.now() - started),
      rssBytes: rssOf(daemon.pong.pid),
      warnings: daemon.pong.warnings ?? [],
    },
    processes: daemon?.processes ?? [],
    daemonLog: daemonLog.map(maskLine),
  };
}

function render(report: Report): string {
  const d = report.daemon;
  const daemon = d
    ? `pid ${d.pid}, version ${d.version}${d.uptimeMs === null ? '' : `, up ${formatDuration(d.uptimeMs)}`}${
        d.rssBytes === null ? '' : `, ${formatBytes(d.rssBytes)}`
      }`
    : 'not running';
  const counts = new Map<string, number>();
  for (const p of report.processes) counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
  const summary = [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
  return [
    '# tend report (values whose names look secret are masked)',
    '',
    `tend      ${report.tend}`,
    `node      ${report.node} (${process.execPath})`,
    `os        ${report.os}`,
    `home      ${report.home}`,
    `daemon    ${daemon}`,
    ...(d?.warnings.length ? d.warnings.map((w) => `warning   ${w}`) : []),
    `processes ${report.processes.length}${summary ? ` (${summary})` : ''}`,
    '',
    ...(report.processes.length > 0 ? [renderList(report.processes, false), ''] : []),
    `## daemon.log, last ${LOG_LINES} lines`,
    ...report.daemonLog.map((line) => terminalSafe(line, false)),
  ].join('\n');
}

/** `tend report` (PM2's `pm2 report`): what a bug report needs, secrets masked; never starts a daemon. */
export async function reportCommand(options: { json?: boolean }): Promise<number> {
  const report = await gather();
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${render(report)}\n`);
  return 0;
}
