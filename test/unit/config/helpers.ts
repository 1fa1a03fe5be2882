import { dirname } from 'node:path';
import { expect } from 'vitest';
import { isTendError, type Problem, type TendError } from '../../../src/core/errors.js';
import { checkCron } from '../../../src/config/cron-check.js';
import { buildDesiredState } from '../../../src/config/desired.js';
import type { FileHost } from '../../../src/config/host.js';
import { nowhere } from '../../../src/config/locator.js';
import type { LoadOptions } from '../../../src/config/options.js';
import { Report } from '../../../src/config/report.js';
import type { DesiredState } from '../../../src/config/types.js';
import { appValidator } from '../../../src/config/validator.js';

export const NODE = '/opt/node/bin/node';
export const HOME = '/home/ann/.tend';

/** A filesystem in memory: `exec` is an executable file; parent folders exist implicitly. */
export function fakeHost(entries: Record<string, 'file' | 'exec' | 'folder'>): FileHost {
  const folders = new Set<string>();
  for (const [path, kind] of Object.entries(entries)) {
    if (kind === 'folder') folders.add(path);
    for (let dir = dirname(path); dir !== '/'; dir = dirname(dir)) folders.add(dir);
  }
  return {
    kind: (path) =>
      folders.has(path) ? 'folder' : entries[path] === 'file' || entries[path] === 'exec' ? 'file' : undefined,
    isExecutable: (path) => entries[path] === 'exec',
  };
}

/** The machine most normalisation tests run on: an app folder /srv/app, a few programs on PATH. */
export const host = fakeHost({
  '/srv/app/app.js': 'file',
  '/srv/app/worker.py': 'file',
  '/srv/app/job.sh': 'file',
  '/srv/app/main.ts': 'file',
  '/srv/app/server': 'exec',
  '/srv/app/notes.txt': 'file',
  '/srv/app/src/index.mjs': 'file',
  '/srv/app/logs': 'folder',
  '/usr/bin/npm': 'exec',
  '/usr/bin/python3': 'exec',
});

export const baseOptions: LoadOptions = { home: HOME, baseEnv: { kind: 'shell', vars: { PATH: '/usr/bin' } }, cpus: 4 };

/** Validates and normalises apps as if they were `apps:` of /srv/app/ecosystem.yml. */
export async function desiredOf(
  apps: unknown[],
  options: Partial<LoadOptions> = {},
  fileHost: FileHost = host,
): Promise<DesiredState> {
  const validate = await appValidator();
  return buildDesiredState(
    apps.map((raw, index) => ({ raw, path: ['apps', index] })),
    new Report(nowhere),
    validate,
    {
      file: { given: 'ecosystem.yml', absolute: '/srv/app/ecosystem.yml' },
      label: 'ecosystem.yml',
      locator: nowhere,
      baseDir: '/srv/app',
    },
    { ...baseOptions, ...options },
    { host: fileHost, nodePath: NODE, nodeVersion: '20.20.0', cron: checkCron },
  );
}

/** The one app of a single-app desired state. */
export async function appOf(app: Record<string, unknown>, options: Partial<LoadOptions> = {}) {
  const { apps } = await desiredOf([app], options);
  expect(apps).toHaveLength(1);
  return apps[0]!;
}

/** The TendError a call throws (sync or async); fails the test if it throws nothing else. */
export async function tendErrorOf(run: () => unknown): Promise<TendError> {
  try {
    await run();
  } catch (error) {
    if (isTendError(error)) return error;
    throw error;
  }
  throw new Error('expected a TendError, got none');
}

/** Problems reduced to what a user reads: `line:column path: message`. */
export function lines(problems: Problem[]): string[] {
  return problems.map((p) => {
    const where = p.position ? `${p.position.line}:${p.position.column} ` : '';
    return `${where}${p.path ? `${p.path}: ` : ''}${p.message}`;
  });
}
