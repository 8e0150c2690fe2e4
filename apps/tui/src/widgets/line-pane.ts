/**
 * A bordered pane showing pre-rendered lines: the packet details (the visible lines of the
 * selected frame's tree) and the packet bytes (hex rows with the selected field highlighted).
 * What the lines say is decided in state/; this widget only draws them.
 */
import type blessed from 'blessed';
import type { Glyphs } from '../state/glyphs.js';
import type { Line } from '../state/text.js';
import { markup } from './markup.js';
import { createPane, innerSize, setPaneFocus, type Box } from './pane.js';

export class LinePane {
  readonly box: Box;

  constructor(
    screen: blessed.Widgets.Screen,
    private readonly glyphs: Glyphs,
    private title: string,
    place: { top: number; height: number },
  ) {
    this.box = createPane(screen, { title, ...place });
  }

  /** A new title, shown at the next `setFocus` (the hex pane names its data source). */
  setTitle(title: string): void {
    this.title = title;
  }

  get capacity(): number {
    return Math.max(1, innerSize(this.box).height);
  }

  render(lines: readonly Line[]): void {
    const w = innerSize(this.box).width;
    this.box.setContent(lines.map((l) => markup(l, w)).join('\n'));
  }

  setFocus(focused: boolean): void {
    setPaneFocus(this.box, this.title, focused, this.glyphs);
  }
}
