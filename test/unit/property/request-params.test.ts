import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTendError } from '../../../src/core/errors.js';
import { checkParams } from '../../../src/daemon/params.js';
import { makeDesired, makeSpec } from '../../fixtures/specs.js';

const METHODS = [
  'ping',
  'list',
  'show',
  'plan',
  'apply',
  'start',
  'stop',
  'restart',
  'reload',
  'delete',
  'scale',
  'save',
  'resurrect',
  'flush',
  'kill',
  'dashboard',
  'trigger',
  'reset',
  'sendSignal',
  'env',
  'send',
  'subscribe',
  'sendData',
];

function problemOf(method: string, params: unknown): string | undefined {
  try {
    checkParams(method, params);
    return undefined;
  } catch (err) {
    if (!isTendError(err)) throw err;
    expect(err.code).toBe('PROTOCOL');
    return err.message;
  }
}

/** Every leaf of a JSON value with its path as the checker spells it (`params.desired.apps[0].run.args`). */
function leaves(value: unknown, path: string): string[] {
  const children = Array.isArray(value)
    ? value.map((item, i) => [item, `${path}[${i}]`] as const)
    : value !== null && typeof value === 'object'
      ? Object.entries(value).map(([key, item]) => [item, `${path}.${key}`] as const)
      : [];
  return children.length === 0 ? [path] : children.flatMap(([item, at]) => leaves(item, at));
}

describe('request params are checked at the boundary (property)', () => {
  it('any JSON as params of any method: accepted, or a PROTOCOL error naming the method and a field', () => {
    fc.assert(
      fc.property(fc.constantFrom(...METHODS), fc.jsonValue(), (method, params) => {
        const problem = problemOf(method, params);
        if (problem !== undefined) expect(problem).toMatch(new RegExp(`^bad \`${method}\` request: params\\S*: `));
      }),
      { numRuns: 3000 },
    );
  });

  it('what the CLI sends passes', () => {
    const desired = makeDesired([
      makeSpec('api', { instances: 3, run: { execMode: 'cluster' } }),
      makeSpec('worker', { policy: { watch: { paths: ['/srv'], ignore: [], delayMs: 0 } } }),
      makeSpec('web', { run: { listen: [{ port: 80 }, { port: 81, host: '::1' }, { path: '/run/web.sock' }] } }),
    ]);
    // The wire carries JSON: undefined options vanish, as they do on the socket.
    const wire = JSON.parse(
      JSON.stringify({ desired, options: { only: ['api'], prune: undefined, noDeps: true } }),
    ) as unknown;
    expect(problemOf('apply', wire)).toBeUndefined();
    expect(problemOf('plan', { desired })).toBeUndefined();
    expect(problemOf('scale', { app: 'api', count: '+2' })).toBeUndefined();
    expect(problemOf('stop', { targets: [] })).toBeUndefined();
    expect(problemOf('stop', { targets: ['echo.js', '/^api/'], scripts: { 'echo.js': '/w/echo.js' } })).toBeUndefined();
    expect(problemOf('sendSignal', { targets: ['0'], signal: 'SIGUSR2' })).toBeUndefined();
    expect(problemOf('send', { target: '0', lines: [] })).toBeUndefined();
    expect(problemOf('env', { target: 'api', scripts: { api: '/w/api' }, showSecrets: true })).toBeUndefined();
  });

  it('a script path must come absolute (the daemon never resolves against its own cwd), a signal by its name', () => {
    expect(problemOf('stop', { targets: ['echo.js'], scripts: { 'echo.js': 'echo.js' } })).toBe(
      'bad `stop` request: params.scripts.echo.js: expected an absolute path; got string "echo.js"',
    );
    expect(problemOf('show', { target: 'x', scripts: { x: '' } })).toMatch(
      /params\.scripts\.x: expected an absolute path/,
    );
    expect(problemOf('reset', { targets: ['a'], scripts: ['/a'] })).toMatch(/params\.scripts: expected an object/);
    expect(problemOf('sendSignal', { targets: ['0'], signal: 'USR2' })).toMatch(
      /params\.signal: expected a signal name/,
    );
    expect(problemOf('send', { target: '0', lines: 'hello' })).toMatch(/params\.lines: expected a list/);
    expect(problemOf('restart', { targets: [], ids: [3] })).toBeUndefined();
    // What a client other than the CLI could send: checked field by field too.
    const listening = (listen: unknown) => ({
      desired: makeDesired([makeSpec('a', { run: { listen: listen as never } })]),
    });
    expect(problemOf('plan', listening([{ port: 0 }]))).toMatch(
      /apps\[0\]\.run\.listen\[0\]\.port: expected a port from 1 to 65535/,
    );
    expect(problemOf('plan', listening([{ path: 'api.sock' }]))).toMatch(
      /run\.listen\[0\]\.path: expected an absolute path/,
    );
    expect(problemOf('restart', { targets: [], ids: ['3'] })).toMatch(/params\.ids\[0\]: expected a whole number/);
  });

  it('a wrong type at any leaf of a valid apply is refused, naming that leaf', () => {
    const desired = JSON.parse(
      JSON.stringify(
        makeDesired([
          makeSpec('api', {
            run: { args: ['--port', '80'], listen: [{ port: 80, host: '127.0.0.1' }, { path: '/run/api.sock' }] },
            policy: { stopExitCodes: [0] },
            dependsOn: [{ app: 'db', condition: 'ready', restart: true }],
          }),
        ]),
      ),
    ) as Record<string, unknown>;
    // `warnings` are advisory: the daemon does not read them.
    const checked = leaves(desired, 'params.desired').filter((path) => !path.startsWith('params.desired.warnings'));
    fc.assert(
      // An object or a list of lists is wrong for every leaf the contract has (strings, numbers, flags, lists, null).
      fc.property(fc.constantFrom(...checked), fc.constantFrom<unknown>({ wrong: true }, [[]]), (path, wrong) => {
        const copy = JSON.parse(JSON.stringify(desired)) as Record<string, unknown>;
        const keys = path.replace(/^params\.desired\.?/, '').match(/[^.[\]]+/g) ?? [];
        let target: Record<string, unknown> = copy;
        for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
        target[keys.at(-1)!] = wrong;
        expect(problemOf('apply', { desired: copy })).toContain(path);
      }),
      { numRuns: 500 },
    );
  });
});
