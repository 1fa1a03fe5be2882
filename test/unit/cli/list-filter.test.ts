import { describe, expect, test } from 'vitest';
import type { ProcessView } from '../../../src/api/methods.js';
import { filterViews, summaryLine } from '../../../src/cli/fast/list-filter.js';

const view = (id: number, name: string, status = 'online', namespace = 'default'): ProcessView =>
  ({ id, name, status, namespace, instance: 0 }) as ProcessView;

const views = [
  view(0, 'api-1'),
  view(1, 'api-2', 'stopped'),
  view(2, 'worker', 'errored', 'jobs'),
  view(3, 'web'),
  view(4, 'web'),
];

describe('tend ls PATTERN', () => {
  test.each([
    [undefined, [0, 1, 2, 3, 4]],
    ['web', [3, 4]],
    ['jobs', [2]],
    ['2', [2]],
    ['api-*', [0, 1]],
    ['w??', [3, 4]],
    ['/^w/', [2, 3, 4]],
    ['/API/i', [0, 1]],
    ['nothing', []],
    ['api.1', []],
  ])('%s', (pattern, ids) => {
    expect(filterViews(views, pattern).map((v) => v.id)).toEqual(ids);
  });

  test('a bad regular expression is a usage error', () => {
    expect(() => filterViews(views, '/(/')).toThrow(/is not a regular expression/);
  });
});

describe('the summary under the table', () => {
  test.each([
    [views, 5, '5 processes of 4 apps: 3 online, 1 stopped, 1 errored'],
    [views.slice(3), 5, '2 processes (of 5) of 1 app: 2 online'],
    [views.slice(0, 1), 1, '1 process of 1 app: 1 online'],
  ])('%#', (shown, total, line) => {
    expect(summaryLine(shown, total)).toBe(line);
  });
});
