/**
 * FrameStore: every loaded frame, kept as the FrameBatch list the reader produced (no object per
 * frame). A frame is addressed by its list index (0-based, capture order); `locate` finds its
 * batch by binary search over the batches' first indexes.
 */
import { META_WORDS, frameBytes, type FrameBatch } from '@reef/capture';

/** Where a frame lives: its batch and its index within that batch. */
export interface FrameRef {
  batch: FrameBatch;
  i: number;
}

/** A run of consecutive frames inside one batch. */
export interface BatchSpan {
  batch: FrameBatch;
  start: number;
  count: number;
}

export class FrameStore {
  private readonly batches: FrameBatch[] = [];
  /** List index of each batch's first frame, ascending. */
  private readonly starts: number[] = [];
  private total = 0;

  /** Frames stored so far. */
  get count(): number {
    return this.total;
  }

  push(batch: FrameBatch): void {
    if (batch.count === 0) return;
    this.batches.push(batch);
    this.starts.push(this.total);
    this.total += batch.count;
  }

  /** The batch holding list index `index`, or undefined when out of range. */
  locate(index: number): FrameRef | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.total) return undefined;
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return { batch: this.batches[lo]!, i: index - this.starts[lo]! };
  }

  /** The frame number (1-based, from the capture) at list index `index`. */
  frameNumber(index: number): number | undefined {
    const ref = this.locate(index);
    return ref ? ref.batch.meta[ref.i * META_WORDS]! : undefined;
  }

  /** The captured bytes of the frame at `index` (a view into its batch). */
  bytes(index: number): Uint8Array | undefined {
    const ref = this.locate(index);
    return ref ? frameBytes(ref.batch, ref.i) : undefined;
  }

  /** The frames `first .. first+count` (clamped), split at batch boundaries. */
  spans(first: number, count: number): BatchSpan[] {
    const out: BatchSpan[] = [];
    let index = Math.max(0, first);
    const end = Math.min(this.total, first + count);
    while (index < end) {
      const ref = this.locate(index)!;
      const n = Math.min(ref.batch.count - ref.i, end - index);
      out.push({ batch: ref.batch, start: ref.i, count: n });
      index += n;
    }
    return out;
  }
}
