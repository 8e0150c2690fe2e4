/** The packet bytes pane: hex rows of the selected frame with the selected field highlighted. */
import type blessed from 'blessed';
import type { Glyphs } from '../state/glyphs.js';
import type { Line } from '../state/text.js';
import { markup } from './markup.js';
import { createPane, innerSize, setPaneFocus, type Box } from './pane.js';

const TITLE = 'Packet Bytes';

export class HexViewWidget {
  readonly box: Box;

  constructor(screen: blessed.Widgets.Screen, private readonly glyphs: Glyphs) {
    this.box = createPane(screen, { title: TITLE, top: 19, height: 6 });
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
