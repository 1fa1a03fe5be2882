import { describe, expect, test } from 'vitest';
import { desiredOf, tendErrorOf } from './helpers.js';

const apps = [
  { name: 'web', script: 'app.js' },
  { name: 'api', script: 'app.js' },
  { name: 'worker', script: 'worker.py' },
];

describe('only', () => {
  test.each([
    [['api'], ['api']],
    [['web,worker'], ['web', 'worker']],
    [['web worker'], ['web', 'worker']],
    [
      ['worker', 'web'],
      ['web', 'worker'],
    ],
  ])('%o keeps %o in file order', async (only, expected) => {
    expect((await desiredOf(apps, { only })).apps.map((app) => app.name)).toEqual(expected);
  });

  test('an unknown name is UNKNOWN_APP listing the known names', async () => {
    const error = await tendErrorOf(() => desiredOf(apps, { only: ['web,wrker'] }));
    expect(error.code).toBe('UNKNOWN_APP');
    expect(error.message).toBe('no app named `wrker` in ecosystem.yml; its apps are: web, api, worker');
  });

  test('apps left out are not checked beyond the schema (a missing script elsewhere does not block)', async () => {
    const desired = await desiredOf([...apps, { name: 'broken', script: 'missing.js' }], { only: ['web'] });
    expect(desired.apps.map((app) => app.name)).toEqual(['web']);
  });
});
