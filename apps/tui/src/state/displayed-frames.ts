/**
 * DisplayedFrames: the frames the packet list shows, i.e. the FrameStore seen through the display
 * filter. Without a filter it is the store itself; with one it keeps the store indexes of the
 * frames that pass, tested batch by batch within a time budget so a large capture never blocks
 * the keys. New frames (loading, live capture) are tested as they arrive.
 */
import type { FrameBatch } from '@reef/capture';
import type { BatchSpan, FrameRef, FrameStore } from './frame-store.js';

/** What the list, the row cache and the views read: a FrameStore or the filtered frames. */
export interface FrameList {
  readonly count: number;
  locate(index: number): FrameRef | undefined;
  frameNumber(index: number): number | undefined;
  bytes(index: number): Uint8Array | undefined;
  spans(first: number, count: number): BatchSpan[];
}

/** `session.filterFrames`: 1 per frame of `batch[start .. start+count]` that passes. */
export type FrameTest = (batch: FrameBatch, start: number, count: number) => Uint8Array;

/** Frames tested per call into the dissector: large enough to amortize the copy into wasm. */
const TEST_CHUNK = 4096;

export class DisplayedFrames implements FrameList {
  /** The applied display filter ('' = none). */
  filter = '';
  /** Store indexes of the frames that pass (first `passing` entries). */
  private index = new Uint32Array(0);
  private passing = 0;
  /** Store frames tested so far. */
  private tested = 0;

  constructor(
    private readonly store: FrameStore,
    private readonly test: FrameTest,
  ) {}

  /** Starts over with `filter` (the session's filter must already be set to it). */
  setFilter(filter: string): void {
    this.filter = filter;
    this.index = new Uint32Array(filter ? 1024 : 0);
    this.passing = 0;
    this.tested = 0;
  }

  /** Frames of the store not tested yet (0 without a filter). */
  get pending(): number {
    return this.filter ? this.store.count - this.tested : 0;
  }

  /** Share of the loaded frames tested, 0..1. */
  get progress(): number {
    return this.store.count === 0 || !this.filter ? 1 : this.tested / this.store.count;
  }

  /** Tests untested frames until `budgetMs` has passed; returns true when every loaded frame is tested. */
  advance(budgetMs: number): boolean {
    if (!this.filter) return true;
    const deadline = Date.now() + budgetMs;
    while (this.tested < this.store.count) {
      for (const s of this.store.spans(this.tested, TEST_CHUNK)) {
        const pass = this.test(s.batch, s.start, s.count);
        for (let k = 0; k < s.count; k++) if (pass[k]) this.push(this.tested + k);
        this.tested += s.count;
      }
      if (Date.now() >= deadline) break;
    }
    return this.tested >= this.store.count;
  }

  get count(): number {
    return this.filter ? this.passing : this.store.count;
  }

  /** The store index of displayed frame `index`. */
  storeIndex(index: number): number | undefined {
    if (!this.filter) return index >= 0 && index < this.store.count ? index : undefined;
    return index >= 0 && index < this.passing ? this.index[index] : undefined;
  }

  locate(index: number): FrameRef | undefined {
    const s = this.storeIndex(index);
    return s === undefined ? undefined : this.store.locate(s);
  }

  frameNumber(index: number): number | undefined {
    const s = this.storeIndex(index);
    return s === undefined ? undefined : this.store.frameNumber(s);
  }

  bytes(index: number): Uint8Array | undefined {
    const s = this.storeIndex(index);
    return s === undefined ? undefined : this.store.bytes(s);
  }

  /** Displayed frames `first .. first+count` as runs of consecutive frames inside one batch. */
  spans(first: number, count: number): BatchSpan[] {
    if (!this.filter) return this.store.spans(first, count);
    const out: BatchSpan[] = [];
    const end = Math.min(this.passing, first + count);
    for (let i = Math.max(0, first); i < end; i++) {
      const ref = this.store.locate(this.index[i]!)!;
      const last = out[out.length - 1];
      if (last && last.batch === ref.batch && last.start + last.count === ref.i) last.count++;
      else out.push({ batch: ref.batch, start: ref.i, count: 1 });
    }
    return out;
  }

  /** The displayed index of the first frame numbered `number` or later (frame numbers ascend). */
  indexAtOrAfter(number: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.frameNumber(mid)! < number) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private push(storeIndex: number): void {
    if (this.passing === this.index.length) {
      const grown = new Uint32Array(Math.max(1024, this.index.length * 2));
      grown.set(this.index);
      this.index = grown;
    }
    this.index[this.passing++] = storeIndex;
  }
}
