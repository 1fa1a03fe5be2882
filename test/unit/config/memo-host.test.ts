import { describe, expect, test } from 'vitest';
import type { FileHost } from '../../../src/config/host.js';
import { memoHost } from '../../../src/config/memo-host.js';
import { desiredOf, fakeHost } from './helpers.js';

/** A host that counts the questions it is asked. */
function countingHost(inner: FileHost): FileHost & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    kind: (path) => {
      asked.push(`kind ${path}`);
      return inner.kind(path);
    },
    isExecutable: (path) => {
      asked.push(`exec ${path}`);
      return inner.isExecutable(path);
    },
  };
}

describe('memoHost: one look at the disk per path and load', () => {
  test('the same answers, each question asked once', () => {
    const inner = countingHost(fakeHost({ '/srv/app/a.js': 'file', '/usr/bin/python3': 'exec' }));
    const host = memoHost(inner);
    for (let i = 0; i < 3; i++) {
      expect(host.kind('/srv/app')).toBe('folder');
      expect(host.kind('/srv/app/a.js')).toBe('file');
      expect(host.kind('/srv/app/missing.js')).toBeUndefined();
      expect(host.isExecutable('/usr/bin/python3')).toBe(true);
      expect(host.isExecutable('/srv/app/a.js')).toBe(false);
    }
    expect(inner.asked).toEqual([
      'kind /srv/app',
      'kind /srv/app/a.js',
      'kind /srv/app/missing.js',
      'exec /usr/bin/python3',
      'exec /srv/app/a.js',
    ]);
  });

  test('file contents are read each time they are asked for, and a host without readText keeps none', () => {
    let reads = 0;
    const withText = memoHost({ ...fakeHost({}), readText: () => `N=${++reads}` });
    expect([withText.readText?.('/srv/.env'), withText.readText?.('/srv/.env')]).toEqual(['N=1', 'N=2']);
    expect(memoHost(fakeHost({})).readText).toBeUndefined();
  });

  test('a file of 50 apps in one folder looks at that folder and script once', async () => {
    const inner = countingHost(fakeHost({ '/srv/app/app.js': 'file' }));
    const apps = Array.from({ length: 50 }, (_, i) => ({ name: `app-${i}`, script: 'app.js' }));
    const desired = await desiredOf(apps, {}, inner);
    expect(desired.apps).toHaveLength(50);
    expect(inner.asked.filter((q) => q === 'kind /srv/app')).toHaveLength(1);
    expect(inner.asked.filter((q) => q === 'kind /srv/app/app.js')).toHaveLength(1);
  });
});
