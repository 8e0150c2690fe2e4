/** A bordered pane whose border and title show whether it has the focus. */
import blessed from 'blessed';
import type { Glyphs } from '../state/glyphs.js';

export type Box = blessed.Widgets.BoxElement;

export interface PaneOptions {
  title: string;
  top: number | string;
  height: number | string;
}

export function createPane(screen: blessed.Widgets.Screen, o: PaneOptions): Box {
  return blessed.box({
    parent: screen,
    top: o.top,
    left: 0,
    width: '100%',
    height: o.height,
    label: ` ${o.title} `,
    border: { type: 'line' },
    tags: true,
    wrap: false,
    style: { border: { fg: 'default' }, label: {} },
  });
}

/** Inner size of a bordered pane. */
export function innerSize(box: Box): { width: number; height: number } {
  const width = typeof box.width === 'number' ? box.width : 0;
  const height = typeof box.height === 'number' ? box.height : 0;
  return { width: Math.max(0, width - 2), height: Math.max(0, height - 2) };
}

export function setPaneFocus(box: Box, title: string, focused: boolean, g: Glyphs): void {
  const style = box.style as { border: { fg: string }; label: { bold?: boolean; fg?: string } };
  style.border.fg = focused ? 'cyan' : 'default';
  style.label.bold = focused;
  style.label.fg = focused ? 'cyan' : undefined;
  box.setLabel(focused ? ` ${g.focus} ${title} ` : ` ${title} `);
}
