/**
 * The packet list's only per-row data: the summary rows of a window around what is on screen,
 * fetched from the dissector on demand. Memory is O(window), whatever the capture size.
 */
import type { FrameBatch } from '@reef/capture';
import type { Row } from '@reef/dissect';
import type { BatchSpan } from './frame-store.js';

/** `session.rows`, or anything with its shape. */
export type RowFetcher<T = Row> = (batch: FrameBatch, start: number, count: number) => T[];

/** The frames listed: the FrameStore itself, or the display filter's DisplayList. */
export interface RowSource {
  readonly count: number;
  spans(first: number, count: number): BatchSpan[];
  frameNumber(i: number): number | undefined;
}

export class RowCache<T = Row> {
  private from = 0;
  private rows: T[] = [];
  /** Store size when the window was fetched: rows of earlier frames may change as analysis learns more. */
  private fetchedAt = -1;

  constructor(
    private readonly store: RowSource,
    private readonly fetch: RowFetcher<T>,
  ) {}

  /** Rows `first .. first+count` (clamped to the store). */
  get(first: number, count: number): T[] {
    const start = Math.max(0, first);
    const end = Math.min(this.store.count, first + count);
    if (end <= start) return [];
    const cached = this.fetchedAt === this.store.count && start >= this.from && end <= this.from + this.rows.length;
    if (!cached) {
      // One screen of margin each way, so moving a few rows does not call into wasm again.
      const margin = Math.max(count, 16);
      this.from = Math.max(0, start - margin);
      this.rows = [];
      for (const s of this.store.spans(this.from, end + margin - this.from)) {
        for (const r of this.fetch(s.batch, s.start, s.count)) this.rows.push(r);
      }
      this.fetchedAt = this.store.count;
    }
    return this.rows.slice(start - this.from, end - this.from);
  }

  /** Rows currently held (for tests and diagnostics). */
  get size(): number {
    return this.rows.length;
  }

  invalidate(): void {
    this.fetchedAt = -1;
    this.rows = [];
  }
}
