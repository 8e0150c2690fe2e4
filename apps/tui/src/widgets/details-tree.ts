/** The packet details pane: the visible lines of the selected frame's protocol tree. */
import type blessed from 'blessed';
import type { Glyphs } from '../state/glyphs.js';
import type { Line } from '../state/text.js';
import { markup } from './markup.js';
import { createPane, innerSize, setPaneFocus, type Box } from './pane.js';

const TITLE = 'Packet Details';

export class DetailsTreeWidget {
  readonly box: Box;

  constructor(screen: blessed.Widgets.Screen, private readonly glyphs: Glyphs) {
    this.box = createPane(screen, { title: TITLE, top: 11, height: 8 });
  }

  get capacity(): number {
    return Math.max(1, innerSize(this.box).height);
  }

  render(lines: readonly Line[]): void {
    const w = innerSize(this.box).width;
    this.box.setContent(lines.map((l) => markup(l, w)).join('\n'));
  }

  setFocus(focused: boolean): void {
    setPaneFocus(this.box, TITLE, focused, this.glyphs);
  }
}
