// planApply must stay far below 50 ms for 1,000 apps: `tend plan` runs it on every call.
import { bench, describe } from 'vitest';
import { planApply } from '../src/plan/plan-apply.js';
import { planInputs } from './plan-fixture.js';

const { desired, identical, tenPercentChanged } = planInputs();

describe('planApply, 1,000 apps', () => {
  bench('(a) against an empty observed state', () => {
    planApply(desired, []);
  });
  bench('(b) against an identical observed state', () => {
    planApply(desired, identical);
  });
  bench('(c) with 10% changed', () => {
    planApply(desired, tenPercentChanged);
  });
});
