import type { ProcessView } from '../../api/methods.js';
import type { KeyAction } from './keys.js';

/**
 * The selected process after a new list: the same id when it is still there (ids are stable,
 * rows may move), else the row where it was, else the first; null when nothing is listed.
 */
export function keepSelection(
  previous: readonly ProcessView[],
  next: readonly ProcessView[],
  selectedId: number | null,
): number | null {
  if (next.length === 0) return null;
  if (selectedId !== null && next.some((v) => v.id === selectedId)) return selectedId;
  const oldIndex = previous.findIndex((v) => v.id === selectedId);
  const index = oldIndex < 0 ? 0 : Math.min(oldIndex, next.length - 1);
  return next[index]!.id;
}

/** The selection after a movement key; other keys leave it as it is. */
export function moveSelection(
  views: readonly ProcessView[],
  selectedId: number | null,
  action: KeyAction,
  pageSize: number,
): number | null {
  if (views.length === 0) return null;
  const current = Math.max(
    0,
    views.findIndex((v) => v.id === selectedId),
  );
  const page = Math.max(1, pageSize);
  const targets: Partial<Record<KeyAction, number>> = {
    up: current - 1,
    down: current + 1,
    pageUp: current - page,
    pageDown: current + page,
    top: 0,
    bottom: views.length - 1,
  };
  const target = targets[action];
  if (target === undefined) return views[current]!.id;
  return views[Math.min(views.length - 1, Math.max(0, target))]!.id;
}

/** The first row shown when the list is taller than its box: the selection stays in view, roughly centred. */
export function scrollOffset(count: number, selectedIndex: number, rows: number): number {
  if (count <= rows || rows <= 0) return 0;
  const centred = selectedIndex - Math.floor(rows / 2);
  return Math.max(0, Math.min(centred, count - rows));
}
