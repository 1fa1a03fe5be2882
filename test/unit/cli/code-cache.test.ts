import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requireWithCodeCache, userCodeCacheDir } from '../../../src/cli/fast/code-cache.js';

// V8 also keeps what it compiled in memory for the life of the process and would answer a second load of the same
// source from there, whatever the disk cache holds; each load here must be like a new CLI run's.
beforeAll(() => setFlagsFromString('--no-compilation-cache'));
afterAll(() => setFlagsFromString('--compilation-cache'));

let dir: string;
let cacheDir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tend-code-cache-'));
  cacheDir = join(dir, 'cache', 'tend');
  writeFileSync(join(dir, 'helper.cjs'), 'module.exports = (x) => x * 2;\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Whole seconds: a time set through utimes() comes back with float noise below the millisecond. */
const BUILT_AT = 1_700_000_000;

function writeModule(body: string, builtAt = BUILT_AT): string {
  const file = join(dir, 'bundle.cjs');
  writeFileSync(file, body);
  utimesSync(file, builtAt, builtAt);
  return file;
}

const BUNDLE = `"use strict";
const double = require('./helper.cjs');
function answer(x) { return double(x) + 1; }
module.exports = { answer, where: [__filename, __dirname], self: this === module.exports };
`;

describe('requireWithCodeCache', () => {
  it('runs the file as require() would: its own require, __filename, __dirname and exports', () => {
    const file = writeModule(BUNDLE);
    const loaded = requireWithCodeCache(file, cacheDir);
    const exports = loaded.exports as { answer: (x: number) => number; where: string[]; self: boolean };
    expect(exports.answer(20)).toBe(41);
    expect(exports.where).toEqual([file, dir]);
    expect(exports.self).toBe(true);
    expect(loaded.fromCache).toBe(false);
  });

  it('saves the compiled code in the cache folder and runs from it the next time', () => {
    const file = writeModule(BUNDLE);
    const first = requireWithCodeCache(file, cacheDir);
    (first.exports as { answer: (x: number) => number }).answer(1);
    first.save();
    expect(readdirSync(cacheDir)).toHaveLength(1);

    const second = requireWithCodeCache(file, cacheDir);
    expect(second.fromCache).toBe(true);
    expect((second.exports as { answer: (x: number) => number }).answer(5)).toBe(11);
  });

  it('never runs the code of an earlier build, and drops its cache', () => {
    const file = writeModule(BUNDLE);
    requireWithCodeCache(file, cacheDir).save();
    const before = readdirSync(cacheDir);

    writeModule(BUNDLE.replace('+ 1', '+ 2'), BUILT_AT + 60);
    const rebuilt = requireWithCodeCache(file, cacheDir);
    expect(rebuilt.fromCache).toBe(false);
    expect((rebuilt.exports as { answer: (x: number) => number }).answer(20)).toBe(42);
    rebuilt.save();
    const after = readdirSync(cacheDir);
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
  });

  it('compiles the source when the cache is not V8 code', () => {
    const file = writeModule(BUNDLE);
    requireWithCodeCache(file, cacheDir).save();
    const [name] = readdirSync(cacheDir);
    writeFileSync(join(cacheDir, name!), 'garbage');
    const loaded = requireWithCodeCache(file, cacheDir);
    expect(loaded.fromCache).toBe(false);
    expect((loaded.exports as { answer: (x: number) => number }).answer(20)).toBe(41);
    loaded.save();
    expect(requireWithCodeCache(file, cacheDir).fromCache).toBe(true);
  });

  it('trusts no cache in a folder others can write, and writes none there', () => {
    const file = writeModule(BUNDLE);
    requireWithCodeCache(file, cacheDir).save();
    chmodSync(cacheDir, 0o777);
    try {
      expect(requireWithCodeCache(file, cacheDir).fromCache).toBe(false);
    } finally {
      chmodSync(cacheDir, 0o700);
    }
    expect(requireWithCodeCache(file, cacheDir).fromCache).toBe(true);
  });

  it('runs without a cache where the user has no home folder', () => {
    const loaded = requireWithCodeCache(writeModule(BUNDLE), userCodeCacheDir({}));
    expect((loaded.exports as { answer: (x: number) => number }).answer(1)).toBe(3);
    loaded.save();
  });

  it('keeps a line of its own for a #! line, so positions in stack traces stay right', () => {
    const file = writeModule('#!/usr/bin/env node\nmodule.exports = () => new Error("here").stack;\n');
    const stack = (requireWithCodeCache(file, cacheDir).exports as () => string)();
    expect(stack).toContain(`${file}:2:`);
  });

  it("puts the cache in the user's cache folder, as XDG says", () => {
    expect(userCodeCacheDir({ XDG_CACHE_HOME: '/var/cache/ann', HOME: '/home/ann' })).toBe('/var/cache/ann/tend');
    expect(userCodeCacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/home/ann' })).toBe('/home/ann/.cache/tend');
    expect(userCodeCacheDir({ HOME: '/home/ann' })).toBe('/home/ann/.cache/tend');
    expect(userCodeCacheDir({})).toBeNull();
  });

  it("keeps one cache per installation: two copies of tend used in turn do not drop each other's", () => {
    const first = writeModule(BUNDLE);
    mkdirSync(join(dir, 'other-install'));
    const second = join(dir, 'other-install', 'bundle.cjs');
    writeFileSync(second, BUNDLE.replace('+ 1', '+ 3'));
    writeFileSync(join(dir, 'other-install', 'helper.cjs'), 'module.exports = (x) => x * 2;\n');
    requireWithCodeCache(first, cacheDir).save();
    requireWithCodeCache(second, cacheDir).save();
    expect(readdirSync(cacheDir)).toHaveLength(2);
    expect(requireWithCodeCache(first, cacheDir).fromCache).toBe(true);
    expect((requireWithCodeCache(second, cacheDir).exports as { answer: (x: number) => number }).answer(20)).toBe(43);
  });
});
