/**
 * The hex pane: a frame's bytes as `0000  45 00 ... 00  E....` rows (16 bytes, two groups of 8),
 * a byte cursor, and the selected field's bytes highlighted. Bytes reach the screen only as hex
 * digits or printable ASCII.
 */
import { Cursor } from './cursor.js';
import { span, type Line, type SpanStyle } from './text.js';

export const BYTES_PER_ROW = 16;

/** A byte range of the frame. */
export interface ByteRange {
  start: number;
  len: number;
}

export class HexState {
  /** Over rows; `pos` is the cursor's row. */
  readonly cursor = new Cursor();
  private data: Uint8Array = new Uint8Array(0);
  /** The byte under the cursor. */
  private at = 0;

  setBytes(data: Uint8Array): void {
    this.data = data;
    this.cursor.setCount(Math.ceil(data.length / BYTES_PER_ROW));
    this.moveTo(this.at);
  }

  get length(): number {
    return this.data.length;
  }

  get offset(): number {
    return this.at;
  }

  moveTo(offset: number): void {
    this.at = this.data.length === 0 ? 0 : Math.min(this.data.length - 1, Math.max(0, offset));
    this.cursor.moveTo(Math.floor(this.at / BYTES_PER_ROW));
  }

  moveBy(delta: number): void {
    const next = this.at + delta;
    // Up/down past either end stays put rather than jumping to a different column.
    if (Math.abs(delta) >= BYTES_PER_ROW && (next < 0 || next >= this.data.length)) return;
    this.moveTo(next);
  }

  /** Page up/down, keeping the column. */
  page(pages: number): void {
    const col = this.at % BYTES_PER_ROW;
    this.cursor.page(pages);
    this.moveTo(this.cursor.pos * BYTES_PER_ROW + col);
  }

  /** First / last row, keeping the column (termshark's gg / G). */
  firstRow(): void {
    this.moveTo(this.at % BYTES_PER_ROW);
  }

  lastRow(): void {
    const rows = this.cursor.count;
    if (rows > 0) this.moveTo((rows - 1) * BYTES_PER_ROW + (this.at % BYTES_PER_ROW));
  }

  /** The visible rows as styled text; `field` is highlighted, the cursor shown when `focused`. */
  render(field: ByteRange | undefined, focused: boolean): Line[] {
    const out: Line[] = [];
    const digits = Math.max(4, Math.max(0, this.data.length - 1).toString(16).length);
    const inField = (o: number) => field !== undefined && field.len > 0 && o >= field.start && o < field.start + field.len;
    const styleOf = (o: number): SpanStyle => (focused && o === this.at ? 'cursor' : inField(o) ? 'field' : 'normal');
    const { top } = this.cursor;
    for (let row = top; row < top + this.cursor.visibleCount; row++) {
      const line = new LineBuilder();
      const base = row * BYTES_PER_ROW;
      line.add(base.toString(16).padStart(digits, '0'), 'dim');
      line.add('  ', 'normal');
      for (let j = 0; j < BYTES_PER_ROW; j++) {
        const o = base + j;
        if (j > 0) {
          // A gap between two highlighted bytes is highlighted too, so the field reads as one block.
          const joined = inField(o - 1) && inField(o) && o < this.data.length;
          line.add(j === 8 ? '  ' : ' ', joined ? 'field' : 'normal');
        }
        line.add(o < this.data.length ? this.data[o]!.toString(16).padStart(2, '0') : '  ', o < this.data.length ? styleOf(o) : 'normal');
      }
      line.add('  ', 'normal');
      for (let j = 0; j < BYTES_PER_ROW && base + j < this.data.length; j++) {
        const b = this.data[base + j]!;
        line.add(b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.', styleOf(base + j));
      }
      out.push(line.spans);
    }
    return out;
  }
}

/** Appends text, merging runs of the same style. */
class LineBuilder {
  readonly spans: Line = [];

  add(text: string, style: SpanStyle): void {
    const last = this.spans[this.spans.length - 1];
    if (last && last.style === style) last.text += text;
    else this.spans.push(span(text, style));
  }
}
