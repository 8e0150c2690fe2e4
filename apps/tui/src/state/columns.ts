/**
 * The packet list's columns (termshark's defaults: No., Time, Source, Destination, Protocol,
 * Length, Info) and their widths. Widths only grow as wider values scroll into view, so columns
 * do not jump around while moving; Info takes what is left.
 */
import type { Row } from '@reef/dissect';
import { fit, safeText, textWidth } from './text.js';

interface ColumnSpec {
  title: string;
  align: 'left' | 'right';
  /** Narrowest the column may be squeezed to on a small terminal. */
  min: number;
  /** Widest it grows to from its contents. */
  max: number;
}

const COLUMNS: ColumnSpec[] = [
  { title: 'No.', align: 'right', min: 3, max: 10 },
  { title: 'Time', align: 'right', min: 4, max: 29 },
  { title: 'Source', align: 'left', min: 7, max: 39 },
  { title: 'Destination', align: 'left', min: 7, max: 39 },
  { title: 'Protocol', align: 'left', min: 5, max: 12 },
  { title: 'Length', align: 'right', min: 4, max: 6 },
  { title: 'Info', align: 'left', min: 10, max: Infinity },
];
const GAP = ' ';
const INFO = COLUMNS.length - 1;
/** Least room for Info before the address columns are squeezed. */
const INFO_WANTED = 16;
/** Columns given up, in this order, when the line is too narrow; numbers are never cut. */
const SQUEEZE = [[2, 3], [4]];

export class ColumnLayout {
  /** Content widths seen so far (Info's entry is unused). */
  private readonly wanted = COLUMNS.map((c) => Math.min(c.max, c.title.length));

  /** `ellipsis` marks a cut cell. */
  constructor(private readonly ellipsis = '') {}

  /** Widens the columns to fit `rows`. */
  observe(rows: readonly Row[]): void {
    for (const r of rows) {
      for (let c = 0; c < INFO; c++) {
        const w = textWidth(String(r[c]));
        if (w > this.wanted[c]!) this.wanted[c] = Math.min(COLUMNS[c]!.max, w);
      }
    }
  }

  /** Makes No. wide enough for frame numbers up to `count`, so it does not widen while scrolling. */
  reserveNumbers(count: number): void {
    this.wanted[0] = Math.min(COLUMNS[0]!.max, Math.max(this.wanted[0]!, String(count).length));
  }

  /** Column widths for a line of `total` columns. */
  widths(total: number): number[] {
    const w = this.wanted.slice();
    const used = () => w.slice(0, INFO).reduce((a, b) => a + b, 0) + GAP.length * INFO;
    // Squeeze Source and Destination first, then Protocol, down to their minimums.
    for (const order of SQUEEZE) {
      while (total - used() < INFO_WANTED) {
        let shrunk = false;
        for (const c of order) {
          if (w[c]! > COLUMNS[c]!.min && total - used() < INFO_WANTED) {
            w[c]!--;
            shrunk = true;
          }
        }
        if (!shrunk) break;
      }
    }
    w[INFO] = Math.max(0, total - used());
    return w;
  }

  header(total: number): string {
    return this.line(COLUMNS.map((c) => c.title), total);
  }

  format(row: Row, total: number): string {
    // The core already escapes these; being the last step before the screen, check anyway.
    return this.line(row.map((cell) => safeText(String(cell))), total);
  }

  /** Whether a line of `total` columns cuts any cell of `row`. */
  cuts(row: Row, total: number): boolean {
    const w = this.widths(total);
    return row.some((cell, c) => textWidth(safeText(String(cell))) > w[c]!);
  }

  private line(cells: string[], total: number): string {
    const w = this.widths(total);
    const parts = cells.map((text, c) => fit(text, w[c]!, COLUMNS[c]!.align, c === INFO ? '' : this.ellipsis));
    return fit(parts.join(GAP), total);
  }
}
