import { describe, expect, test } from 'vitest';
import type { ProcessView } from '../../../../src/api/methods.js';
import { appsOfModule, takenNames } from '../../../../src/cli/modules/apply-module.js';
import { moduleMark } from '../../../../src/cli/fast/list-render.js';

const view = (name: string, module: string | null, instance = 0) => ({ name, module, instance }) as ProcessView;
const views = [
  view('pinger', 'pinger'),
  view('pinger', 'pinger', 1),
  view('pinger-worker', 'pinger'),
  view('api', null),
  view('rotator', 'other'),
];

describe("a module's apps in the daemon's list", () => {
  test('appsOfModule: each app of the module once', () => {
    expect(appsOfModule(views, 'pinger')).toEqual(['pinger', 'pinger-worker']);
    expect(appsOfModule(views, 'missing')).toEqual([]);
  });

  test.each([
    [['pinger', 'pinger-worker'], []],
    [['api'], ['api']],
    [['rotator', 'new'], ['rotator']],
  ])('takenNames %o → %o (names another owner has)', (wanted, taken) => {
    expect(takenNames(views, 'pinger', wanted)).toEqual(taken);
  });

  test.each([
    [view('pinger', 'pinger'), ' (module)'],
    [view('pinger-worker', 'pinger'), ' (module pinger)'],
    [view('api', null), ''],
  ])('ls marks %o with %j', (v, mark) => {
    expect(moduleMark(v)).toBe(mark);
  });
});
