/**
 * Key bindings of the main screen (termshark's, see docs/termshark-reference.md): arrows and
 * hjkl move in the focused pane, tab cycles panes, `g g`/`G` jump, `q` asks before quitting.
 * The help lists them from key-table.ts; the controls on top (filter bar, counts, marks,
 * search, `:`) are in controls.ts.
 */
import { VIEW_KEYS } from './key-table.js';
import type { MainView } from './main-view.js';

/** What blessed reports for a key press (the fields used here). */
export interface Key {
  name: string;
  full: string;
  ctrl?: boolean;
  meta?: boolean;
}

/** A key name for dispatch: printable characters as themselves, the rest as blessed's full name. */
function keyId(ch: string | undefined, key: Key): string {
  if (ch && ch.length === 1 && ch >= ' ' && ch !== '\x7f' && !key.ctrl && !key.meta) return ch === ' ' ? 'space' : ch;
  return key.full;
}

export function handleKey(v: MainView, ch: string | undefined, key: Key): void {
  const id = keyId(ch, key);
  // blessed reports Enter twice, as `enter` then `return`: only `enter` counts.
  if (id === 'return') return;
  if (id === 'C-c') return v.interrupt();
  if (v.modal === 'quit') {
    if (id === 'y' || id === 'Y') return v.quit(0);
    if (id === 'n' || id === 'N' || id === 'escape' || id === 'q') v.closeDialog();
    return;
  }
  if (v.modal === 'help') {
    if (v.scrollDialog(id)) return;
    v.closeDialog();
    return;
  }
  if (v.modal === 'keep' || v.modal === 'saveas') return v.keepKey(id, ch);
  // An open view (conversations, follow...) takes every key.
  if (v.overlay) return v.overlay.key(id, ch);
  // The filter bar, prompts, counts, marks, layouts... (controls.ts) come first.
  if (v.controls.key(id, ch)) return;
  const view = VIEW_KEYS.find((k) => k.key === id);
  if (view) return v.controls.openView(view.open);

  const g = v.pendingG;
  v.pendingG = false;
  switch (id) {
    case 'q':
    case 'Q':
      return v.askQuit();
    case '?':
      return v.showHelp();
    case 'tab':
      return v.cycleFocus(1);
    case 'S-tab':
      return v.cycleFocus(-1);
    case 'C-l':
      return v.redraw();
    case 'g':
      if (g) return jump(v, 'first');
      v.pendingG = true;
      return;
    case 'G':
    case 'end':
      return jump(v, 'last');
    case 'home':
      return jump(v, 'first');
  }
  if (v.focus === 'list') listKey(v, id);
  else if (v.focus === 'tree') treeKey(v, id);
  else hexKey(v, id);
}

function jump(v: MainView, where: 'first' | 'last'): void {
  if (v.focus === 'list') {
    if (where === 'first') v.list.cursor.first();
    else v.list.cursor.last();
  } else if (v.focus === 'tree') {
    if (where === 'first') v.tree.cursor.first();
    else v.tree.cursor.last();
    v.treeMoved();
  } else {
    if (where === 'first') v.hex.firstRow();
    else v.hex.lastRow();
    v.hexMoved();
  }
}

function listKey(v: MainView, id: string): void {
  const c = v.list.cursor;
  switch (id) {
    case 'down':
    case 'j':
      return c.moveBy(1);
    case 'up':
    case 'k':
      return c.moveBy(-1);
    case 'pagedown':
      return c.page(1);
    case 'pageup':
      return c.page(-1);
    case 'enter':
      // Enter on a packet goes to its details.
      v.focus = 'tree';
      return;
  }
}

function treeKey(v: MainView, id: string): void {
  const t = v.tree;
  switch (id) {
    case 'down':
    case 'j':
      t.cursor.moveBy(1);
      break;
    case 'up':
    case 'k':
      t.cursor.moveBy(-1);
      break;
    case 'pagedown':
      t.cursor.page(1);
      break;
    case 'pageup':
      t.cursor.page(-1);
      break;
    case 'right':
    case 'l':
      t.expand();
      break;
    case 'left':
    case 'h':
      t.collapse();
      break;
    case 'enter':
    case 'space':
      t.toggle();
      break;
    default:
      return;
  }
  v.treeMoved();
}

function hexKey(v: MainView, id: string): void {
  const h = v.hex;
  switch (id) {
    case 'down':
    case 'j':
      h.moveBy(16);
      break;
    case 'up':
    case 'k':
      h.moveBy(-16);
      break;
    case 'right':
    case 'l':
      h.moveBy(1);
      break;
    case 'left':
    case 'h':
      h.moveBy(-1);
      break;
    case 'pagedown':
      h.page(1);
      break;
    case 'pageup':
      h.page(-1);
      break;
    default:
      return;
  }
  v.hexMoved();
}
