import { describe, expect, test } from 'vitest';
import { expiredRotations, isRotatedOf, rotatedName } from '../../../src/logs/rotation.js';

describe('rotated file names', () => {
  test('the date goes between the name and the extension, as pm2-logrotate', () => {
    expect(rotatedName('/l/api-out.log', '2026-11-22_05-50-00', () => false)).toBe(
      '/l/api-out__2026-11-22_05-50-00.log',
    );
    expect(rotatedName('/l/out', '2026', () => false)).toBe('/l/out__2026');
  });

  test('rotations in the same second never overwrite each other, compressed or not', () => {
    const taken = new Set(['/l/api-out__S.log', '/l/api-out__S_1.log.gz']);
    expect(rotatedName('/l/api-out.log', 'S', (name) => taken.has(name))).toBe('/l/api-out__S_2.log');
  });

  test('only rotated copies of the same file are recognised', () => {
    expect(isRotatedOf('/l/api-out.log', 'api-out__2026-11-22_05-50-00.log')).toBe(true);
    expect(isRotatedOf('/l/api-out.log', 'api-out__2026-11-22_05-50-00_3.log.gz')).toBe(true);
    expect(isRotatedOf('/l/api-out.log', 'api-out.log')).toBe(false);
    expect(isRotatedOf('/l/api-out.log', 'api-err__2026.log')).toBe(false);
    expect(isRotatedOf('/l/api-out.log', 'api-out-1__2026.log')).toBe(false);
    expect(isRotatedOf('/l/api-out.log', 'api-out__.log')).toBe(false);
  });
});

describe('retention', () => {
  test('the oldest beyond `retain` are deleted', () => {
    const entries = [
      { name: 'a__3.log', mtimeMs: 3 },
      { name: 'a__1.log', mtimeMs: 1 },
      { name: 'a__4.log', mtimeMs: 4 },
      { name: 'a__2.log', mtimeMs: 2 },
    ];
    expect(expiredRotations(entries, 2).sort()).toEqual(['a__1.log', 'a__2.log']);
    expect(expiredRotations(entries, 10)).toEqual([]);
    expect(expiredRotations(entries, 0).sort()).toEqual(['a__1.log', 'a__2.log', 'a__3.log', 'a__4.log']);
  });

  test('a file being compressed and its .gz count as one and go together', () => {
    const entries = [
      { name: 'a__1.log', mtimeMs: 1 },
      { name: 'a__1.log.gz', mtimeMs: 1 },
      { name: 'a__2.log.gz', mtimeMs: 2 },
      { name: 'a__3.log', mtimeMs: 3 },
    ];
    expect(expiredRotations(entries, 2).sort()).toEqual(['a__1.log', 'a__1.log.gz']);
  });

  test('equal times are ordered by name', () => {
    const entries = [
      { name: 'a__S_1.log', mtimeMs: 5 },
      { name: 'a__S.log', mtimeMs: 5 },
    ];
    expect(expiredRotations(entries, 1)).toEqual(['a__S.log']);
  });
});
