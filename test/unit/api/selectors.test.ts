import { describe, expect, it } from 'vitest';
import {
  isRegexTarget,
  parseSelector,
  type Selectable,
  selectTargets,
  type TargetSelection,
  unknownTargetsError,
} from '../../../src/api/selectors.js';
import { isTendError } from '../../../src/core/errors.js';

// Ids in order; `3` is an app's name (id 1), distinct from id 3 (`worker`).
const PROCESSES: Selectable[] = [
  { id: 0, name: 'api', namespace: 'web', script: '/srv/api/server.js' },
  { id: 1, name: '3', namespace: 'default', script: '/srv/three/index.js' },
  { id: 2, name: 'api', namespace: 'web', script: '/srv/api/server.js' },
  { id: 3, name: 'worker', namespace: 'jobs', script: '/srv/jobs/echo.js' },
  { id: 4, name: 'Worker-2', namespace: 'jobs', script: '/srv/jobs/echo.js' },
  { id: 5, name: 'cron', namespace: 'jobs', script: '/srv/cron/run.py' },
];

const ids = (selection: TargetSelection): { ids: number[]; unknown: string[] } => {
  const { selected, unknown } = selectTargets(PROCESSES, selection, (p) => p);
  return { ids: selected.map((p) => p.id), unknown };
};

describe('selectors (PM2: name, id, all, namespace, /regex/, script path)', () => {
  it.each<[string, TargetSelection, number[], string[]]>([
    ['all', { targets: ['all'] }, [0, 1, 2, 3, 4, 5], []],
    ['a name: every instance', { targets: ['api'] }, [0, 2], []],
    ['an id', { targets: ['4'] }, [4], []],
    ['an app named by a number: its name first', { targets: ['3'] }, [1], []],
    ['a number that names no app: an id', { targets: ['5'] }, [5], []],
    ['a namespace', { targets: ['jobs'] }, [3, 4, 5], []],
    ['several, each once, by id', { targets: ['cron', 'api', '0', 'web'] }, [0, 2, 5], []],
    ['a regex on names', { targets: ['/^w/'] }, [3], []],
    ['a regex with flags', { targets: ['/^w/i'] }, [3, 4], []],
    ['g and y flags do not make later names fail', { targets: ['/er/g'] }, [3, 4], []],
    [
      'a script path the CLI resolved',
      { targets: ['echo.js'], scripts: { 'echo.js': '/srv/jobs/echo.js' } },
      [3, 4],
      [],
    ],
    ['a script path without its resolution is only a name', { targets: ['echo.js'] }, [], ['echo.js']],
    ['unknown targets are listed back', { targets: ['api', 'nope', '/^z/', '99'] }, [0, 2], ['nope', '/^z/', '99']],
    ['ids only (the dashboard): never a name', { targets: [], ids: [3, 1] }, [1, 3], []],
    ['an id that is not there', { targets: ['cron'], ids: [42] }, [5], ['id 42']],
  ])('%s', (_what, selection, expected, unknown) => {
    expect(ids(selection)).toEqual({ ids: expected, unknown });
  });

  it('a name wins over the script of another app, and both select when they are one', () => {
    const items: Selectable[] = [
      { id: 0, name: 'echo.js', namespace: 'default', script: '/a/other.js' },
      { id: 1, name: 'b', namespace: 'default', script: '/w/echo.js' },
    ];
    const { selected } = selectTargets(items, { targets: ['echo.js'], scripts: { 'echo.js': '/w/echo.js' } }, (p) => p);
    expect(selected.map((p) => p.id)).toEqual([0, 1]);
  });

  it('what is a regex: /…/ with JavaScript flags; an absolute path is not', () => {
    expect([
      isRegexTarget('/api/'),
      isRegexTarget('/a\\/b/imsu'),
      isRegexTarget('/srv/app.js'),
      isRegexTarget('/srv/app/'),
      isRegexTarget('//'),
    ]).toEqual([true, true, false, true, false]);
    expect(parseSelector('all')).toEqual({ kind: 'all' });
    expect(parseSelector('/srv/app.js')).toEqual({ kind: 'word', text: '/srv/app.js' });
  });

  it('an invalid regex is a USAGE error that names it', () => {
    let error: unknown;
    try {
      selectTargets(PROCESSES, { targets: ['/(/'] }, (p) => p);
    } catch (err) {
      error = err;
    }
    expect(isTendError(error) && error.code).toBe('USAGE');
    expect((error as Error).message).toMatch(/^`\/\(\/` is not a valid regular expression: /);
  });

  it('the error for targets that match nothing names each, and the known apps once', () => {
    const error = unknownTargetsError(['nope', '/^z/'], ['api', 'api', 'worker']);
    expect(error.code).toBe('UNKNOWN_APP');
    expect(error.message).toBe('no process matches `nope`; no app name matches `/^z/`; known apps: api, worker');
    expect(unknownTargetsError(['x'], []).message).toBe('no process matches `x`; known apps: none');
  });
});
