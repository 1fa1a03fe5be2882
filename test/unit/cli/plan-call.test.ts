import { describe, expect, test } from 'vitest';
import type { AppOwner, DesiredState } from '../../../src/config/types.js';
import { TendError } from '../../../src/core/errors.js';
import { desiredHashOf, planOnDaemon } from '../../../src/cli/plan-call.js';
import type { Plan } from '../../../src/plan/types.js';
import { FIXTURE_OWNER, makeDesired, makeSpec } from '../../fixtures/specs.js';

const base = (): DesiredState => ({
  ...makeDesired([makeSpec('web'), makeSpec('worker', { instances: 2 })]),
  owner: { ...FIXTURE_OWNER },
});

describe('desiredHashOf: the key a daemon keeps a plan’s desired state under', () => {
  // Each row changes one thing the planner reads: a daemon holding the state before must not answer for the state after.
  test.each<[string, (d: DesiredState) => void]>([
    ['an env value', (d) => (d.apps[0]!.run.env.NODE_ENV = 'staging')],
    ['an env variable added (an env_file line)', (d) => (d.apps[0]!.run.env.FROM_FILE = 'x')],
    ['where a variable comes from', (d) => (d.apps[0]!.envSources.NODE_ENV = 'env_file')],
    ['the script', (d) => (d.apps[0]!.run.script = '/srv/web/other.js')],
    ['the interpreter', (d) => (d.apps[0]!.run.interpreter = 'bash')],
    ['interpreter arguments', (d) => d.apps[0]!.run.interpreterArgs.push('--inspect')],
    ['arguments', (d) => d.apps[0]!.run.args.push('--port=8080')],
    ['the cwd', (d) => (d.apps[0]!.run.cwd = '/srv')],
    ['the instances', (d) => (d.apps[1]!.instances = 3)],
    ['a policy', (d) => (d.apps[1]!.policy.maxMemoryRestartBytes = 1024)],
    ['a log path', (d) => (d.apps[1]!.logs.out = null)],
    ['autostart', (d) => (d.apps[1]!.autostart = false)],
    ['a dependency', (d) => (d.apps[1]!.dependsOn = [{ app: 'web', condition: 'started', restart: false }])],
    ['the origin', (d) => (d.apps[1]!.origin = { file: '/srv/ecosystem.yml', index: 1 })],
    ['an app added', (d) => d.apps.push(makeSpec('cron'))],
    ['an app removed', (d) => d.apps.pop()],
    ['the order of apps', (d) => d.apps.reverse()],
    ['the file', (d) => (d.file = '/srv/other.yml')],
    ['the project', (d) => (d.project = 'shop')],
    ['a warning', (d) => d.warnings.push({ message: '`vizion` is accepted but not implemented yet' })],
  ])('changes with %s', (_what, change) => {
    const changed = base();
    change(changed);
    expect(desiredHashOf(changed)).not.toBe(desiredHashOf(base()));
  });

  test.each<[string, (owner: AppOwner) => void]>([
    ['the time of the call', (owner) => (owner.at = 1_800_000_000_000)],
    ['the user', (owner) => (owner.user = 'ann')],
    ['the whole owner', (owner) => (owner.key = 'project:shop')],
  ])('does not change with %s: the owner is sent whole every time', (_what, change) => {
    const other = base();
    change(other.owner!);
    expect(desiredHashOf(other)).toBe(desiredHashOf(base()));
  });
});

/** A daemon's side of `planKnown` and `plan`, recording what it was sent. */
function fakeClient(known: (hash: string) => Plan | null | Error) {
  const calls: Array<{ method: string; params: Record<string, unknown> }> = [];
  const plan: Plan = { actions: [], unchanged: ['web', 'worker'], orphans: [] } as unknown as Plan;
  return {
    calls,
    plan,
    call: (async (method: string, params: Record<string, unknown>) => {
      calls.push({ method, params });
      if (method === 'plan') return plan;
      const answer = known(params.desiredHash as string);
      if (answer instanceof Error) throw answer;
      return answer;
    }) as never,
  };
}

describe('planOnDaemon', () => {
  const desired = base() as DesiredState & { owner: AppOwner };

  test('a daemon that holds the state answers the hash alone: the state is not sent', async () => {
    const remembered = { actions: [], unchanged: ['web'], orphans: [] } as unknown as Plan;
    const client = fakeClient((hash) => (hash === desiredHashOf(desired) ? remembered : null));
    expect(await planOnDaemon(client, desired, { only: ['web'] }, true)).toBe(remembered);
    expect(client.calls).toEqual([
      {
        method: 'planKnown',
        params: {
          desiredHash: desiredHashOf(desired),
          owner: desired.owner,
          options: { only: ['web'] },
          fingerprints: true,
        },
      },
    ]);
  });

  test('a daemon that does not hold it gets the whole state, with the hash to keep it under', async () => {
    const client = fakeClient(() => null);
    expect(await planOnDaemon(client, desired, {}, false)).toBe(client.plan);
    expect(client.calls.map((c) => c.method)).toEqual(['planKnown', 'plan']);
    expect(client.calls[1]!.params).toEqual({ desired, options: {}, desiredHash: desiredHashOf(desired) });
  });

  test('a daemon from before planKnown (an unknown method) gets the whole state', async () => {
    const client = fakeClient(() => new TendError('PROTOCOL', 'unknown method `planKnown`'));
    expect(await planOnDaemon(client, desired, {}, false)).toBe(client.plan);
    expect(client.calls.map((c) => c.method)).toEqual(['planKnown', 'plan']);
  });

  test('any other failure is the plan’s failure, not a second request', async () => {
    const client = fakeClient(() => new TendError('DAEMON_UNREACHABLE', 'the daemon closed the connection'));
    await expect(planOnDaemon(client, desired, {}, false)).rejects.toMatchObject({ code: 'DAEMON_UNREACHABLE' });
    expect(client.calls.map((c) => c.method)).toEqual(['planKnown']);
  });
});
