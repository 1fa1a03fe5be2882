import { describe, expect, test } from 'vitest';
import { runOutcome, type ProcessOutcome } from '../../../src/container/auto-exit.js';

const p = (status: ProcessOutcome['status'], exit_code: number | null = null): ProcessOutcome => ({
  status,
  exit_code,
});

describe('when tend-runtime exits on its own, and with which code', () => {
  test.each([
    ['an app still online', [p('online'), p('stopped', 0)], { done: false }],
    ['an app between two runs', [p('waiting-restart', 1)], { done: false }],
    ['an app on its way up', [p('launching')], { done: false }],
    ['an app on its way down', [p('stopping')], { done: false }],
    ['every app ended cleanly', [p('stopped', 0), p('stopped', 0)], { done: true, code: 0 }],
    ['stopped by a signal (no exit code)', [p('stopped', null)], { done: true, code: 0 }],
    ['one app errored', [p('stopped', 0), p('errored', 1)], { done: true, code: 1 }],
    ['one job ended with a non-zero code', [p('stopped', 0), p('stopped', 3)], { done: true, code: 1 }],
    ['no app left (deleted from another shell)', [], { done: true, code: 0 }],
  ])('%s', (_what, processes, outcome) => {
    expect(runOutcome(processes)).toEqual(outcome);
  });
});
