/**
 * The packet list: a cursor over all loaded frames, with only the visible rows ever formatted.
 * Rows come from the RowCache (a window around the view), widths from the ColumnLayout.
 */
import { ColumnLayout } from './columns.js';
import { Cursor } from './cursor.js';
import type { FrameStore } from './frame-store.js';
import type { RowCache } from './row-cache.js';
import { span, type Line } from './text.js';

export class ListState {
  readonly cursor = new Cursor();
  private readonly columns = new ColumnLayout();

  constructor(
    private readonly store: FrameStore,
    private readonly rows: RowCache,
  ) {}

  /** Picks up frames loaded since the last call. */
  sync(): void {
    this.cursor.setCount(this.store.count);
  }

  /** Frame number of the selected row, if any. */
  selectedNumber(): number | undefined {
    return this.store.frameNumber(this.cursor.pos);
  }

  header(width: number): Line {
    return [span(this.columns.header(width), 'header')];
  }

  /** The visible rows as styled text, `width` columns wide. */
  render(width: number, focused: boolean): Line[] {
    const { top } = this.cursor;
    const rows = this.rows.get(top, this.cursor.visibleCount);
    this.columns.observe(rows);
    return rows.map((r, k) => {
      const selected = top + k === this.cursor.pos;
      return [span(this.columns.format(r, width), selected ? (focused ? 'selected' : 'field') : 'normal')];
    });
  }
}
