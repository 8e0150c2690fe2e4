/**
 * The packet list: a cursor over all loaded frames, with only the visible rows ever formatted.
 * Rows come from the RowCache (a window around the view), widths from the ColumnLayout.
 */
import { ColumnLayout } from './columns.js';
import { Cursor } from './cursor.js';
import type { FrameList } from './displayed-frames.js';
import type { RowCache } from './row-cache.js';
import { span, type Line } from './text.js';

export class ListState {
  readonly cursor = new Cursor();
  private readonly columns: ColumnLayout;

  constructor(
    private readonly store: FrameList,
    private readonly rows: RowCache,
    ellipsis = '',
  ) {
    this.columns = new ColumnLayout(ellipsis);
  }

  /** Picks up frames loaded since the last call. */
  sync(): void {
    this.cursor.setCount(this.store.count);
  }

  /** Frame number of the selected row, if any. */
  selectedNumber(): number | undefined {
    return this.store.frameNumber(this.cursor.pos);
  }

  /** The header and the visible rows as styled text, `width` columns wide. */
  render(width: number, focused: boolean): { header: Line; rows: Line[] } {
    const { top } = this.cursor;
    const rows = this.rows.get(top, this.cursor.visibleCount);
    // Widths first, so the header lines up with these rows.
    this.columns.observe(rows);
    this.columns.reserveNumbers(this.store.frameNumber(this.store.count - 1) ?? 0);
    return {
      header: [span(this.columns.header(width), 'header')],
      rows: rows.map((r, k) => {
        const selected = top + k === this.cursor.pos;
        return [span(this.columns.format(r, width), selected ? (focused ? 'selected' : 'field') : 'normal')];
      }),
    };
  }
}
