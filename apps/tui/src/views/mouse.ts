/**
 * Mouse: a click selects the packet, tree node or byte under it and focuses its pane (a click on
 * the selected tree node opens or closes it); the wheel scrolls the pane under the pointer.
 */
import { BYTES_PER_ROW } from '../state/hex-state.js';
import type { Rect } from './layout.js';
import type { MainView, Pane } from './main-view.js';

export interface MouseEvent {
  action: string;
  button?: string;
  x: number;
  y: number;
}

const WHEEL_LINES = 3;

function inside(r: Rect, x: number, y: number): boolean {
  return r.width > 0 && r.height > 0 && x >= r.left && x < r.left + r.width && y >= r.top && y < r.top + r.height;
}

export function handleMouse(v: MainView, rects: Record<Pane, Rect>, e: MouseEvent): boolean {
  const pane = (['list', 'tree', 'hex'] as const).find((p) => inside(rects[p], e.x, e.y));
  if (!pane) return false;
  const r = rects[pane];
  if (e.action === 'wheelup' || e.action === 'wheeldown') {
    const step = e.action === 'wheelup' ? -WHEEL_LINES : WHEEL_LINES;
    if (pane === 'list') v.list.cursor.moveBy(step);
    else if (pane === 'tree') {
      v.tree.cursor.moveBy(step);
      v.treeMoved();
    } else {
      v.hex.moveBy(step * BYTES_PER_ROW);
      v.hexMoved();
    }
    return true;
  }
  if (e.action !== 'mousedown' || (e.button !== undefined && e.button !== 'left')) return false;
  v.focus = pane;
  // Inside the border (and under the list's header line).
  const line = e.y - r.top - 1 - (pane === 'list' ? 1 : 0);
  const col = e.x - r.left - 1;
  if (line < 0) return true;
  if (pane === 'list') {
    const row = v.list.cursor.top + line;
    if (row < v.list.cursor.count) v.list.cursor.moveTo(row);
  } else if (pane === 'tree') {
    const at = v.tree.cursor.top + line;
    if (at >= v.tree.cursor.count) return true;
    if (at === v.tree.cursor.pos) v.tree.toggle();
    else v.tree.cursor.moveTo(at);
    v.treeMoved();
  } else {
    const row = v.hex.cursor.top + line;
    const digits = Math.max(4, Math.max(0, v.hex.length - 1).toString(16).length);
    const c = col - digits - 2;
    // `xx xx .. xx  xx ..` (two groups of 8), then two spaces and the ASCII column.
    const hexEnd = BYTES_PER_ROW * 3;
    let byte: number | undefined;
    if (c >= 0 && c < hexEnd) byte = c < 24 ? Math.floor(c / 3) : Math.floor((c - 1) / 3);
    else if (c >= hexEnd + 2 && c < hexEnd + 2 + BYTES_PER_ROW) byte = c - hexEnd - 2;
    if (byte !== undefined) {
      v.hex.moveTo(row * BYTES_PER_ROW + Math.min(BYTES_PER_ROW - 1, byte));
      v.hexMoved();
    }
  }
  return true;
}
