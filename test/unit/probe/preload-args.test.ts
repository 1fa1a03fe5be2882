import { describe, expect, it } from 'vitest';
import type { AppSpec } from '../../../src/config/types.js';
import { probeArgs, runsOnNode, supportsPreload } from '../../../src/probe/preload-args.js';

function spec(run: Partial<AppSpec['run']>): AppSpec {
  return {
    run: { script: '/srv/app.js', args: [], interpreter: process.execPath, interpreterArgs: [], ...run },
  } as unknown as AppSpec;
}

describe('which apps get the probe', () => {
  it('loads it into node apps as a CommonJS preload from the dist folder (no ES module loader for CommonJS apps)', () => {
    expect(probeArgs(spec({}), '/opt/tend/dist')).toEqual(['--require', '/opt/tend/dist/probe.cjs']);
  });

  it('leaves out programs that are not node, and apps that turn it off', () => {
    expect(probeArgs(spec({ interpreter: 'python3', script: '/srv/app.py' }), '/d')).toEqual([]);
    expect(probeArgs(spec({ interpreter: null, script: '/srv/run.sh' }), '/d')).toEqual([]);
    expect(probeArgs(spec({ probe: false }), '/d')).toEqual([]);
  });

  it('leaves out a node named by the user that cannot run it (or cannot be asked)', () => {
    expect(probeArgs(spec({ interpreter: '/nonexistent/node16' }), '/d')).toEqual([]);
  });

  it.each([
    ['v20.6.0', true],
    ['v20.5.1', true],
    ['v22.1.0', true],
    ['v18.0.0', true],
    ['v16.20.0', false],
    ['v12.22.12', false],
    ['24.0.0', true],
  ])('node %s can run the preload: %s', (version, ok) => {
    expect(supportsPreload(version)).toBe(ok);
  });

  it.each([
    [process.execPath, true],
    ['node', true],
    ['/usr/local/bin/node20', true],
    ['nodejs', true],
    ['python3', false],
    ['/usr/bin/nodemon', false],
    [null, false],
  ])('%s runs on node: %s', (interpreter, yes) => {
    expect(runsOnNode(interpreter)).toBe(yes);
  });
});
