import { describe, expect, test } from 'vitest';
import type { ProcessView } from '../../../src/api/methods.js';
import { renderList } from '../../../src/cli/fast/list-render.js';

const view = (id: number, name: string, instance = 0): ProcessView =>
  ({
    id,
    name,
    instance,
    namespace: 'default',
    mode: 'fork',
    pid: 100 + id,
    status: 'online',
    restarts: 0,
    uptime_ms: 1000,
    cpu: 0,
    memory: 0,
    user: 'me',
    version: null,
    source: null,
    module: null,
    log_problem: null,
  }) as unknown as ProcessView;

/** The NAME column of each row under the header. */
const names = (views: ProcessView[]): string[] =>
  renderList(views, false)
    .split('\n')
    .slice(1)
    .map((line) => line.split(/\s+/)[1]!);

describe('the NAME column of `tend ls`', () => {
  test.each([
    { what: 'an app of one instance shows its name alone', views: [view(0, 'api')], shown: ['api'] },
    {
      what: 'every instance of an app of several shows its index, the first too',
      views: [view(0, 'web', 0), view(1, 'api'), view(2, 'web', 1)],
      shown: ['web[0]', 'api', 'web[1]'],
    },
    {
      what: 'an instance left alone at index 1 (after a scale down) still shows it',
      views: [view(3, 'web', 1)],
      shown: ['web[1]'],
    },
  ])('$what', ({ views, shown }) => {
    expect(names(views)).toEqual(shown);
  });

  test('1,000 apps of one instance each: every name alone', () => {
    const views = Array.from({ length: 1000 }, (_, i) => view(i, `idle-${i}`));
    expect(names(views)).toEqual(views.map((v) => v.name));
  });
});
