import { describe, expect, it } from 'vitest';
import { instanceEnv } from '../../../src/runtime/instance-env.js';
import { logPathsFor } from '../../../src/runtime/log-paths.js';
import { commandOf } from '../../../src/runtime/spawn-instance.js';
import { makeSpec } from '../../fixtures/specs.js';

describe('logPathsFor', () => {
  it.each([
    {
      merge: true,
      out: '/l/api-out.log',
      err: '/l/api-error.log',
      instance: 3,
      want: { out: '/l/api-out.log', err: '/l/api-error.log' },
    },
    {
      merge: false,
      out: '/l/api-out.log',
      err: '/l/api-error.log',
      instance: 1,
      want: { out: '/l/api-out-1.log', err: '/l/api-error-1.log' },
    },
    { merge: false, out: '/l/api.d/out', err: null, instance: 0, want: { out: '/l/api.d/out-0', err: null } },
    {
      merge: false,
      out: '/l/app.tar.log',
      err: '/dev/null',
      instance: 2,
      want: { out: '/l/app.tar-2.log', err: '/dev/null' },
    },
  ])('merge=$merge $out → $want.out', ({ merge, out, err, instance, want }) => {
    expect(logPathsFor(makeSpec('api', { logs: { merge, out, err } }), instance)).toEqual(want);
  });
});

describe('instanceEnv', () => {
  it("adds the instance index, tend ids and PM2's pm_id, name, instances and exec_mode over the app env", () => {
    const spec = makeSpec('api', { run: { env: { A: '1', NODE_APP_INSTANCE: 'stale' } } });
    expect(instanceEnv(spec, 2, 7)).toEqual({
      A: '1',
      NODE_APP_INSTANCE: '2',
      TEND_APP_NAME: 'api',
      TEND_ID: '7',
      pm_id: '7',
      name: 'api',
      instances: '1',
      exec_mode: 'fork_mode',
    });
  });

  it.each<{ env: Record<string, string>; instance: number; want: string }>([
    { env: { PORT: '3000' }, instance: 2, want: '3002' },
    { env: {}, instance: 2, want: '2' },
    { env: { PORT: 'abc' }, instance: 1, want: '1' },
  ])('increment_var PORT from $env at instance $instance → $want', ({ env, instance, want }) => {
    const spec = makeSpec('api', { run: { env, incrementVar: 'PORT', instanceVar: 'INSTANCE_ID' } });
    const result = instanceEnv(spec, instance, 0);
    expect(result.PORT).toBe(want);
    expect(result.INSTANCE_ID).toBe(String(instance));
    expect(result.NODE_APP_INSTANCE).toBeUndefined();
  });

  it('does not change the spec it was given', () => {
    const spec = makeSpec('api', { run: { env: { PORT: '3000' }, incrementVar: 'PORT' } });
    instanceEnv(spec, 1, 1);
    expect(spec.run.env).toEqual({ PORT: '3000' });
  });
});

describe('commandOf', () => {
  it('puts interpreter args before the script and app args after it', () => {
    const spec = makeSpec('api', {
      run: { interpreter: '/usr/bin/python3', interpreterArgs: ['-u'], script: '/srv/app.py', args: ['--port', '1'] },
    });
    expect(commandOf(spec)).toEqual({ file: '/usr/bin/python3', args: ['-u', '/srv/app.py', '--port', '1'] });
  });

  it('runs the script itself when there is no interpreter', () => {
    const spec = makeSpec('api', { run: { interpreter: null, script: '/srv/my app', args: ['a b'] } });
    expect(commandOf(spec)).toEqual({ file: '/srv/my app', args: ['a b'] });
  });
});
