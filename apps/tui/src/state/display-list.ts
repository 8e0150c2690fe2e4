/**
 * The frames the packet list shows: every stored frame, or those passing the display filter as
 * an ascending array of store indexes (4 bytes per displayed frame, no object per frame).
 * Frames stored after the filter was applied (loading, live capture) are tested as they come.
 */
import type { FrameBatchLike } from '@reef/dissect';
import type { BatchSpan, FrameStore } from './frame-store.js';

/** `session.filterFrames`: one byte per frame, 1 when it passes. */
export type FrameTester = (batch: FrameBatchLike, start: number, count: number) => Uint8Array;

/** Store indexes that passed, growable. */
export class IndexList {
  private data = new Uint32Array(1024);
  length = 0;

  push(index: number): void {
    if (this.length === this.data.length) {
      const bigger = new Uint32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = index;
  }

  at(i: number): number {
    return this.data[i]!;
  }

  /** Position of the first entry >= `index`. */
  lowerBound(index: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.data[mid]! < index) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * `session.prejudgeFrames`: from metadata only, 1 or 0 per frame when the first pass's record
 * settles the filter, 2 when the frame must be tested.
 */
export type FramePrejudge = (batch: FrameBatchLike, start: number, count: number) => Uint8Array;

/**
 * Tests store frames `from .. to` with `test`, appending the passing ones to `out`. With
 * `prejudge`, a batch whose frames it settles is not read back from the file at all (on the
 * 5M-frame benchmark, `tcp.stream eq N` reads only the batches of that stream).
 */
export function testFrames(store: FrameStore, test: FrameTester, from: number, to: number, out: IndexList, prejudge?: FramePrejudge): void {
  let index = from;
  for (const m of prejudge ? store.metaSpans(from, to - from) : store.spans(from, to - from)) {
    let pass = prejudge?.(m.batch, m.start, m.count);
    if (!pass || pass.includes(2)) {
      const s = prejudge ? store.scanSpan(index, m.count)! : m;
      pass = test(s.batch, s.start, s.count);
    }
    for (let k = 0; k < m.count; k++) if (pass[k] === 1) out.push(index + k);
    index += m.count;
  }
}

export class DisplayList {
  /** Undefined: no filter, every stored frame is shown. */
  private matches: IndexList | undefined;
  /** Store frames already tested against the filter. */
  private tested = 0;
  private test: FrameTester | undefined;

  constructor(private readonly store: FrameStore) {}

  get filtered(): boolean {
    return this.matches !== undefined;
  }

  /** Shows every frame. */
  showAll(): void {
    this.matches = undefined;
    this.test = undefined;
  }

  /** Shows `matches` (store frames `0 .. tested` that passed); later frames go through `test`. */
  showMatches(matches: IndexList, tested: number, test: FrameTester): void {
    this.matches = matches;
    this.tested = tested;
    this.test = test;
  }

  /** Tests frames stored since the last call. */
  catchUp(): void {
    if (!this.matches || !this.test || this.tested >= this.store.count) return;
    const end = this.store.count;
    testFrames(this.store, this.test, this.tested, end, this.matches);
    this.tested = end;
  }

  get count(): number {
    return this.matches ? this.matches.length : this.store.count;
  }

  /** The store index of displayed row `i`. */
  storeIndex(i: number): number {
    return this.matches ? this.matches.at(i) : i;
  }

  /** The displayed row of store frame `index`, or of the next displayed one after it. */
  rowAtOrAfter(index: number): number {
    return this.matches ? this.matches.lowerBound(index) : index;
  }

  /** The displayed row of store frame `index`, or undefined when it is filtered out. */
  rowOf(index: number): number | undefined {
    const row = this.rowAtOrAfter(index);
    return row < this.count && this.storeIndex(row) === index ? row : undefined;
  }

  frameNumber(i: number): number | undefined {
    return i >= 0 && i < this.count ? this.store.frameNumber(this.storeIndex(i)) : undefined;
  }

  /** Displayed rows `first .. first+count`, as runs of consecutive frames within one batch. */
  spans(first: number, count: number): BatchSpan[] {
    if (!this.matches) return this.store.spans(first, count);
    const out: BatchSpan[] = [];
    const end = Math.min(this.count, first + count);
    for (let i = Math.max(0, first); i < end; ) {
      const ref = this.store.frame(this.storeIndex(i))!;
      let n = 1;
      while (i + n < end && ref.i + n < ref.batch.count && this.storeIndex(i + n) === this.storeIndex(i) + n) n++;
      out.push({ batch: ref.batch, start: ref.i, count: n });
      i += n;
    }
    return out;
  }
}
