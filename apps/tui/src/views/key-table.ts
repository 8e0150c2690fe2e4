/**
 * Every key of the main screen with what it does: the help (`?`) is generated from this table
 * and the command table, so it lists exactly what exists. Keys marked `global` are dispatched
 * from here (controls.ts); the pane keys are dispatched in keys.ts.
 */
import { COMMANDS, type ViewName } from './commands.js';

export interface KeyHelp {
  keys: string;
  help: string;
}

export const KEY_HELP: readonly KeyHelp[] = [
  { keys: 'tab / shift-tab', help: 'next / previous pane' },
  { keys: 'up down, k j', help: 'move (hex: one row); with a count, e.g. 5j' },
  { keys: 'left right, h l', help: 'tree: collapse / expand; hex: one byte' },
  { keys: 'enter, space', help: 'expand / collapse the tree node (list: go to the details)' },
  { keys: 'pgup pgdn', help: 'one page' },
  { keys: 'g g, home / G, end', help: 'first / last; N G or N g g: packet number N' },
  { keys: 'mouse', help: 'click selects a row, node or byte (and focuses its pane); wheel scrolls' },
  { keys: '/', help: 'display filter: type (green valid, red invalid), tab completes, enter applies, up/down recent, esc leaves' },
  { keys: 'ctrl-f', help: 'search: tab switches string / regex / hex bytes / display filter, enter finds' },
  { keys: 'n / N', help: 'next / previous match of the last search' },
  { keys: ':', help: 'command line (tab completes; see the commands below)' },
  { keys: 'm a-z', help: 'mark the selected packet' },
  { keys: "' a-z, ' '", help: 'go to a mark; back to where the last jump started' },
  { keys: '|', help: 'cycle the layouts (stacked, bytes right, list left)' },
  { keys: '\\', help: 'maximize / restore the focused pane' },
  { keys: 'ctrl-l', help: 'redraw the screen' },
  { keys: 'C S F I E H', help: 'open a view (below): its keys are on the status bar, q or esc closes it' },
  { keys: '?', help: 'this help' },
  { keys: 'q, Q', help: 'quit (asks)' },
  { keys: 'Z Z', help: 'quit without asking' },
  { keys: 'ctrl-c', help: 'stop filtering, searching or a live capture; otherwise quit now' },
];

/** Keys that open the views over the panes (termshark has them in menus only). */
export const VIEW_KEYS: readonly { key: string; open: ViewName; help: string }[] = [
  { key: 'C', open: 'openConversations', help: 'conversations (tab: table, s: sort, a / p: apply / prepare a filter)' },
  { key: 'S', open: 'openFollow', help: "follow the selected packet's TCP / UDP stream" },
  { key: 'F', open: 'openFlow', help: "flow (ladder) of the selected packet's TCP stream" },
  { key: 'I', open: 'openCapinfo', help: 'capture file properties' },
  { key: 'E', open: 'openExpert', help: 'expert information' },
  { key: 'H', open: 'openHierarchy', help: 'protocol hierarchy' },
];

/** The help text: keys, views, then commands. */
export function helpText(): string {
  const w = Math.max(...KEY_HELP.map((k) => k.keys.length)) + 2;
  const keys = KEY_HELP.map((k) => k.keys.padEnd(w) + k.help);
  const views = VIEW_KEYS.map((k) => k.key.padEnd(w) + k.help);
  const cmds = COMMANDS.map((c) => `:${c.names.join(', :')}${c.args ? ' ' + c.args : ''}`);
  const cw = Math.max(...cmds.map((c) => c.length)) + 2;
  return [...keys, '', 'Views:', ...views, '', 'Commands:', ...COMMANDS.map((c, i) => cmds[i]!.padEnd(cw) + c.help)].join('\n');
}
