import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { jsonModuleData } from '../../../src/config/data-module.js';
import { readJs } from '../../../src/config/read-js.js';

/** What Node itself exports for a CommonJS text: the reference the JSON reading must match. */
function evaluated(text: string): unknown {
  const module = { exports: {} as unknown };
  new Function('module', 'exports', text)(module, module.exports);
  return module.exports;
}

describe('a CommonJS file that is only `module.exports = <JSON>` is read as JSON', () => {
  test.each([
    ['as a generator writes it', 'module.exports = {\n  "apps": [{ "name": "a", "script": "a.js" }]\n};\n'],
    ['no semicolon, no newline', 'module.exports={"apps":[]}'],
    ['a list', 'module.exports = [{"script":"a.js","instances":2,"env":{"N":1.5e3,"X":null,"Y":false}}];'],
    ['blank lines around it', '\n\n  module.exports =\n{"apps":[{"script":"a.js"}]}  ;  \n\n'],
    ['a key written twice (the last one wins, in JSON as in code)', 'module.exports = {"a":1,"b":2,"a":3};'],
    ['non-ASCII text, written as is', 'module.exports = {"name":"café ☕","env":{"GREETING":"héllo"}};'],
  ])('%s: the same value the code gives', (_label, text) => {
    const read = jsonModuleData(text);
    expect(read).toBeDefined();
    expect(read?.data).toEqual(evaluated(text));
    expect(Object.keys(read?.data as object)).toEqual(Object.keys(evaluated(text) as object));
  });

  test.each([
    ['a comment', '// apps\nmodule.exports = {"apps":[]};'],
    ['a trailing statement', 'module.exports = {"apps":[]};\nmodule.exports.apps.push({ script: "b.js" });'],
    ['a second assignment', 'module.exports = {"apps":[]};\nmodule.exports = {"apps":[1]};'],
    ['code in the value', 'module.exports = { apps: [{ script: "a.js", env: { HOME: process.env.HOME } }] };'],
    ['a template string', 'module.exports = {"apps":[{"script":`a.js`}]};'],
    ['a require', 'const base = require("./base");\nmodule.exports = {"apps":[]};'],
    ['"use strict" first', '"use strict";\nmodule.exports = {"apps":[]};'],
    ['a `#!` line', '#!/usr/bin/env node\nmodule.exports = {"apps":[]};'],
    ['`exports.apps =`', 'exports.apps = [];'],
    ['a string, not data', 'module.exports = "apps";'],
    // In code, `__proto__` in an object literal sets the prototype; JSON makes it a key.
    ['`__proto__`', 'module.exports = {"apps":[],"__proto__":{"polluted":true}};'],
    ['`__proto__` spelled with escapes', 'module.exports = {"apps":[],"\\u005f_proto__":{"polluted":true}};'],
    ['a function call', 'module.exports = JSON.parse(\'{"apps":[]}\');'],
  ])('%s: run as code', (_label, text) => {
    expect(jsonModuleData(text)).toBeUndefined();
  });
});

describe('readJs with a JSON-literal file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tend-data-module-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('gives the data and positions in the text, as for a file that is run', async () => {
    const file = join(dir, 'ecosystem.config.js');
    await writeFile(file, 'module.exports = {\n  "apps": [\n    { "name": "web", "script": "web.js" }\n  ]\n};\n');
    const source = await readJs(file, file);
    expect(source.data).toEqual({ apps: [{ name: 'web', script: 'web.js' }] });
    expect(source.locator.find(['apps', 0, 'script'], 'key')).toEqual({ file, line: 3, column: 22 });
  });

  test('in an ES module package the file is left to Node, which does not read `module.exports` there', async () => {
    const esm = join(dir, 'esm');
    await mkdir(esm, { recursive: true });
    await writeFile(join(esm, 'package.json'), '{"type":"module"}');
    const file = join(esm, 'ecosystem.config.js');
    await writeFile(file, 'module.exports = {"apps":[{"name":"web","script":"web.js"}]};\n');
    const outcome = await readJs(file, file).then(
      (source) => source.data,
      (error: { code?: string }) => error.code,
    );
    expect(outcome).not.toEqual({ apps: [{ name: 'web', script: 'web.js' }] });
  });
});
