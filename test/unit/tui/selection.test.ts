import { describe, expect, it } from 'vitest';
import { keepSelection, moveSelection, scrollOffset } from '../../../src/cli/tui/selection.js';
import { makeView } from './views.js';

const three = [makeView(0, 'api'), makeView(1, 'worker'), makeView(2, 'cron')];

describe('moving the selection', () => {
  it('goes down and up one row, and stops at the ends', () => {
    expect(moveSelection(three, 0, 'down', 10)).toBe(1);
    expect(moveSelection(three, 2, 'down', 10)).toBe(2);
    expect(moveSelection(three, 1, 'up', 10)).toBe(0);
    expect(moveSelection(three, 0, 'up', 10)).toBe(0);
  });

  it('jumps a page, to the top and to the bottom', () => {
    expect(moveSelection(three, 0, 'pageDown', 2)).toBe(2);
    expect(moveSelection(three, 2, 'top', 2)).toBe(0);
    expect(moveSelection(three, 0, 'bottom', 2)).toBe(2);
  });

  it('leaves it alone on other keys and is empty with no processes', () => {
    expect(moveSelection(three, 1, 'restart', 10)).toBe(1);
    expect(moveSelection([], null, 'down', 10)).toBeNull();
  });
});

describe('the selection across list refreshes', () => {
  it('follows the same process when rows move', () => {
    const reordered = [three[2]!, three[0]!, three[1]!];
    expect(keepSelection(three, reordered, 1)).toBe(1);
  });

  it('takes the row where the deleted process was, or the last one', () => {
    expect(keepSelection(three, [three[0]!, three[2]!], 1)).toBe(2);
    expect(keepSelection(three, [three[0]!, three[1]!], 2)).toBe(1);
  });

  it('selects the first process when there was none, and nothing when the list is empty', () => {
    expect(keepSelection([], three, null)).toBe(0);
    expect(keepSelection(three, [], 1)).toBeNull();
  });
});

describe('scrolling a long list', () => {
  it('does not scroll when everything fits', () => {
    expect(scrollOffset(3, 2, 5)).toBe(0);
  });

  it('keeps the selection in view, roughly centred, without scrolling past the end', () => {
    expect(scrollOffset(100, 50, 10)).toBe(45);
    expect(scrollOffset(100, 99, 10)).toBe(90);
    expect(scrollOffset(100, 1, 10)).toBe(0);
  });
});
