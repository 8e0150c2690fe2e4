/** The packet list pane: a header line and the visible rows, nothing per packet. */
import type blessed from 'blessed';
import type { Glyphs } from '../state/glyphs.js';
import type { Line } from '../state/text.js';
import { markup } from './markup.js';
import { createPane, innerSize, setPaneFocus, type Box } from './pane.js';

const TITLE = 'Packet List';

export class PacketListWidget {
  readonly box: Box;

  constructor(screen: blessed.Widgets.Screen, private readonly glyphs: Glyphs) {
    this.box = createPane(screen, { title: TITLE, top: 1, height: 10 });
  }

  /** Columns available for a row. */
  get width(): number {
    return innerSize(this.box).width;
  }

  /** Rows that fit under the header. */
  get rowCapacity(): number {
    return Math.max(1, innerSize(this.box).height - 1);
  }

  render(header: Line, rows: readonly Line[], note?: string): void {
    const w = this.width;
    const lines = [markup(header, w), ...rows.map((r) => markup(r, w))];
    if (rows.length === 0 && note) lines.push(markup([{ text: note, style: 'dim' }], w));
    this.box.setContent(lines.join('\n'));
  }

  setFocus(focused: boolean): void {
    setPaneFocus(this.box, TITLE, focused, this.glyphs);
  }
}
