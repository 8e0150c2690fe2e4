/**
 * The packet list: a cursor over the listed frames (all, or those passing the display filter),
 * with only the visible rows ever formatted. Rows come from the RowCache (a window around the
 * view), widths from the ColumnLayout, colors from the coloring rules.
 */
import type { Row } from '@reef/dissect';
import { ColumnLayout } from './columns.js';
import { Cursor } from './cursor.js';
import type { RowCache, RowSource } from './row-cache.js';
import { safeText, span, type Line, type Span } from './text.js';

/** A summary row with the colors of the coloring rule it matched. */
export interface ListRow {
  row: Row;
  color?: { fg: string; bg: string };
}

const TIME = 1;

export class ListState {
  readonly cursor = new Cursor();
  private readonly columns: ColumnLayout;
  /** Coloring rules shown (`:set colors off` hides them). */
  colored = true;
  /** Replaces the Time cell of row `i` when it returns a string (tshark's `-t dd` under a filter). */
  timeOf: ((i: number) => string | undefined) | undefined;

  constructor(
    private readonly source: RowSource,
    private readonly rows: RowCache<Row | ListRow>,
    ellipsis = '',
  ) {
    this.columns = new ColumnLayout(ellipsis);
  }

  /** Picks up frames loaded since the last call. */
  sync(): void {
    this.cursor.setCount(this.source.count);
  }

  /** Frame number of the selected row, if any. */
  selectedNumber(): number | undefined {
    return this.source.frameNumber(this.cursor.pos);
  }

  /** The rows `first .. first+count` with their colors. */
  private listRows(first: number, count: number): ListRow[] {
    return this.rows.get(first, count).map((r, k) => {
      const lr: ListRow = Array.isArray(r) ? { row: r } : r;
      const time = this.timeOf?.(first + k);
      return time === undefined ? lr : { ...lr, row: lr.row.map((c, i) => (i === TIME ? time : c)) as Row };
    });
  }

  /** The header and the visible rows as styled text, `width` columns wide. */
  render(width: number, focused: boolean): { header: Line; rows: Line[] } {
    const { top } = this.cursor;
    const rows = this.listRows(top, this.cursor.visibleCount);
    // Widths first, so the header lines up with these rows.
    this.columns.observe(rows.map((r) => r.row));
    this.columns.reserveNumbers(this.source.frameNumber(this.source.count - 1) ?? 0);
    return {
      header: [span(this.columns.header(width), 'header')],
      rows: rows.map((r, k) => {
        const selected = top + k === this.cursor.pos;
        const s: Span = span(this.columns.format(r.row, width), selected ? (focused ? 'selected' : 'field') : 'normal');
        if (!selected && this.colored && r.color) s.color = r.color;
        return [s];
      }),
    };
  }

  /**
   * The selected row's cells in full (by default only when the list cuts any of them at
   * `width`, e.g. a long Info), for the line under the list.
   */
  selectedInFull(width: number, onlyWhenCut = true): string | undefined {
    if (this.source.count === 0) return undefined;
    const r = this.listRows(this.cursor.pos, 1)[0];
    if (!r || (onlyWhenCut && !this.columns.cuts(r.row, width))) return undefined;
    const [, , src, dst, proto, , info] = r.row.map((c) => safeText(String(c)));
    return `${src} -> ${dst}  ${proto}  ${info}`;
  }
}
