import { describe, expect, it } from 'vitest';
import { formatPlan, hasChanges, summarizePlan } from '../../../src/plan/format.js';
import { planApply } from '../../../src/plan/plan-apply.js';
import type { Plan } from '../../../src/plan/types.js';
import { makeDesired, makeObserved, makeSpec, observedAfterApply } from '../../fixtures/specs.js';

// The plan of the brief's example: one app of each common kind, plus an unchanged one and an orphan.
function samplePlan(prune = false): Plan {
  const desired = makeDesired([
    makeSpec('new', { instances: 2 }),
    makeSpec('api', { instances: 2, run: { env: { PORT: '3001' }, args: ['--x'] } }),
    makeSpec('web', { instances: 4 }),
    makeSpec('w', { policy: { maxRestarts: 5 } }),
    makeSpec('worker'),
    makeSpec('cron'),
  ]);
  const observed = [
    makeObserved(makeSpec('old')),
    makeObserved(makeSpec('api', { instances: 2, run: { env: { PORT: '3000' } } })),
    makeObserved(makeSpec('web', { instances: 2 })),
    makeObserved(makeSpec('w')),
    makeObserved(makeSpec('worker')),
    makeObserved(makeSpec('cron')),
  ];
  return planApply(desired, observed, { prune });
}

describe('formatPlan', () => {
  it('prints one line per app in execution order, then the summary', () => {
    expect(formatPlan(samplePlan(true), {})).toBe(
      [
        '- old  delete (not in the file)',
        '~ api  restart 2 instances: run.args [] → ["--x"], run.env.PORT "3000" → "3001"',
        '~ w  update policy in place: policy.maxRestarts 16 → 5',
        '+ new  start 2 instances',
        '~ web  scale 2 → 4 (+2, running instances untouched)',
        '',
        'Plan: 1 to start, 1 to restart, 0 to reload, 1 to scale, 1 to update in place, 1 to delete, 2 unchanged.',
      ].join('\n'),
    );
  });

  it('lists unchanged apps only when verbose, and orphans always', () => {
    const text = formatPlan(samplePlan(false), { verbose: true });
    expect(text.split('\n').slice(4)).toEqual([
      '= worker  unchanged',
      '= cron  unchanged',
      '! old  running but not in the file (use --prune to delete)',
      '',
      'Plan: 1 to start, 1 to restart, 0 to reload, 1 to scale, 1 to update in place, 0 to delete, 2 unchanged.',
    ]);
    expect(formatPlan(samplePlan(false), {})).not.toContain('unchanged\n');
  });

  it('says so when there is nothing to do', () => {
    const desired = makeDesired([makeSpec('a'), makeSpec('b'), makeSpec('c')]);
    const plan = planApply(desired, observedAfterApply(desired));
    expect(formatPlan(plan, {})).toBe('No changes. 3 apps up to date.');
    expect(formatPlan(plan, { verbose: true })).toBe(
      '= a  unchanged\n= b  unchanged\n= c  unchanged\n\nNo changes. 3 apps up to date.',
    );
    expect(formatPlan(planApply(makeDesired([makeSpec('a')]), [makeObserved(makeSpec('a'))]), {})).toBe(
      'No changes. 1 app up to date.',
    );
  });

  it("puts all of an app's actions on its line", () => {
    const plan = planApply(
      makeDesired([makeSpec('api', { instances: 4, run: { execMode: 'cluster', args: ['-v'] } })]),
      [makeObserved(makeSpec('api', { instances: 2, run: { execMode: 'cluster' } }))],
    );
    expect(formatPlan(plan, {}).split('\n')[0]).toBe(
      '~ api  reload 2 instances: run.args [] → ["-v"]; scale 2 → 4 (+2, running instances untouched)',
    );
  });

  it.each([
    [
      'scale-down',
      makeSpec('a', { instances: 1 }),
      makeObserved(makeSpec('a', { instances: 3 })),
      '~ a  scale 3 → 1 (-2, stops instances 1, 2)',
    ],
    [
      'stop',
      makeSpec('a', { autostart: false }),
      makeObserved(makeSpec('a')),
      '~ a  stop 1 instance (autostart: true → false)',
    ],
    [
      'resume',
      makeSpec('a', { instances: 2 }),
      makeObserved(makeSpec('a', { instances: 2 }), ['online', 'errored']),
      '~ a  resume 1 instance (instance 1 errored)',
    ],
    [
      'namespace',
      makeSpec('a', { namespace: 'prod' }),
      makeObserved(makeSpec('a')),
      '~ a  update in place: namespace "default" → "prod"',
    ],
    ['register', makeSpec('a', { autostart: false }), undefined, '+ a  register without starting (autostart: false)'],
  ])('describes %s', (_label, wanted, observed, line) => {
    const plan = planApply(makeDesired([wanted]), observed ? [observed] : []);
    expect(formatPlan(plan, {}).split('\n')[0]).toBe(line);
  });

  it.each([['API_KEY'], ['stripe_secret'], ['GithubToken'], ['DB_PASSWORD']])(
    'masks the value of %s, in the text and in the action reason',
    (name) => {
      const plan = planApply(makeDesired([makeSpec('a', { run: { env: { [name]: 'new-value' } } })]), [
        makeObserved(makeSpec('a', { run: { env: { [name]: 'old-value' } } })),
      ]);
      expect(formatPlan(plan, { verbose: true }).split('\n')[0]).toBe(
        `~ a  restart 1 instance: run.env.${name} *** → ***`,
      );
      expect(plan.actions[0]!.reason).toBe(`run.env.${name} *** → ***`);
    },
  );

  it('shows an added or removed secret as unset on the side where it is missing', () => {
    const plan = planApply(makeDesired([makeSpec('a', { run: { env: { TOKEN: 't' } } })]), [
      makeObserved(makeSpec('a', { run: { env: { OLD_KEY: 'k' } } })),
    ]);
    expect(formatPlan(plan, {}).split('\n')[0]).toBe(
      '~ a  restart 1 instance: run.env.TOKEN (unset) → ***, run.env.OLD_KEY *** → (unset)',
    );
  });

  it('cuts long values unless verbose', () => {
    const long = `/srv/${'x'.repeat(60)}.js`;
    const plan = planApply(makeDesired([makeSpec('a', { run: { script: long } })]), [
      makeObserved(makeSpec('a', { run: { script: '/srv/a.js' } })),
    ]);
    expect(formatPlan(plan, {}).split('\n')[0]).toBe(
      `~ a  restart 1 instance: run.script "/srv/a.js" → ${JSON.stringify(long).slice(0, 39)}…`,
    );
    expect(formatPlan(plan, { verbose: true }).split('\n')[0]).toBe(
      `~ a  restart 1 instance: run.script "/srv/a.js" → ${JSON.stringify(long)}`,
    );
  });

  it('sums up past five changes unless verbose', () => {
    const env = { A: '1', B: '1', C: '1', D: '1', E: '1', F: '1', G: '1' };
    const plan = planApply(makeDesired([makeSpec('a', { run: { env } })]), [
      makeObserved(makeSpec('a', { run: { env: {} } })),
    ]);
    expect(formatPlan(plan, {}).split('\n')[0]).toMatch(/run\.env\.E \(unset\) → "1", \+2 more$/);
    expect(formatPlan(plan, { verbose: true }).split('\n')[0]).toMatch(/run\.env\.G \(unset\) → "1"$/);
  });

  it('colours the leading symbol only when asked', () => {
    const text = formatPlan(samplePlan(true), { color: true });
    expect(text.split('\n').slice(0, 5)).toEqual([
      '\x1b[31m-\x1b[0m old  delete (not in the file)',
      '\x1b[33m~\x1b[0m api  restart 2 instances: run.args [] → ["--x"], run.env.PORT "3000" → "3001"',
      '\x1b[33m~\x1b[0m w  update policy in place: policy.maxRestarts 16 → 5',
      '\x1b[32m+\x1b[0m new  start 2 instances',
      '\x1b[33m~\x1b[0m web  scale 2 → 4 (+2, running instances untouched)',
    ]);
    expect(formatPlan(samplePlan(true), { color: false })).not.toContain('\x1b[');
  });
});

describe('summarizePlan and hasChanges', () => {
  it('counts apps per kind of change, an app once per kind', () => {
    const plan = samplePlan(true);
    expect(summarizePlan(plan)).toEqual({
      start: 1,
      register: 0,
      restart: 1,
      reload: 0,
      scale: 1,
      updateInPlace: 1,
      stop: 0,
      resume: 0,
      delete: 1,
      unchanged: 2,
      orphans: 0,
    });
    expect(hasChanges(plan)).toBe(true);
  });

  it('orphans alone are not changes', () => {
    const plan = planApply(makeDesired([]), [makeObserved(makeSpec('legacy'))]);
    expect(hasChanges(plan)).toBe(false);
    expect(summarizePlan(plan).orphans).toBe(1);
    expect(formatPlan(plan, {})).toBe(
      '! legacy  running but not in the file (use --prune to delete)\n\nNo changes. 0 apps up to date.',
    );
  });

  it('mentions resumes, stops and registrations in the summary only when there are some', () => {
    const plan = planApply(makeDesired([makeSpec('a', { autostart: false }), makeSpec('b', { autostart: false })]), [
      makeObserved(makeSpec('a')),
    ]);
    expect(formatPlan(plan, {}).split('\n').at(-1)).toBe(
      'Plan: 0 to start, 0 to restart, 0 to reload, 0 to scale, 0 to update in place, 1 to stop, 1 to register, 0 to delete, 0 unchanged.',
    );
  });
});
