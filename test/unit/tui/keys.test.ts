import { describe, expect, it } from 'vitest';
import { keyActions } from '../../../src/cli/tui/keys.js';

describe('keys of the terminal dashboard', () => {
  it.each([
    ['\u001b[A', 'up'],
    ['\u001bOA', 'up'],
    ['k', 'up'],
    ['\u001b[B', 'down'],
    ['\u001bOB', 'down'],
    ['j', 'down'],
    ['\u001b[5~', 'pageUp'],
    ['\u001b[6~', 'pageDown'],
    ['g', 'top'],
    ['G', 'bottom'],
    ['r', 'restart'],
    ['s', 'stop'],
    ['q', 'quit'],
    ['\u0003', 'quit'],
    ['\u000c', 'redraw'],
  ])('%j → %s', (data, action) => {
    expect(keyActions(data)).toEqual([action]);
  });

  it('reads several keys from one chunk (a held arrow key)', () => {
    expect(keyActions('\u001b[B\u001b[Bjr')).toEqual(['down', 'down', 'down', 'restart']);
  });

  it('skips keys and escape sequences it does not use, without reading their letters as commands', () => {
    // F5 is ESC [ 1 5 ~ and must not be taken for anything; the lone `x` is ignored.
    expect(keyActions('\u001b[15~x\u001b[C')).toEqual([]);
    expect(keyActions('\u001b[15~q')).toEqual(['quit']);
  });
});
