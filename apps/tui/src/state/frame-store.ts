/**
 * FrameStore: every loaded frame, kept as the FrameBatch list the reader produced (no object per
 * frame). A frame is addressed by its list index (0-based, capture order); `locate` finds its
 * batch by binary search over the batches' first indexes.
 *
 * With a `FrameFile` (a regular, uncompressed capture file) the store keeps only each frame's
 * metadata and file offset, packed to 20 bytes a frame (`PackedBatch`), and reads bytes back
 * when they are needed, a batch at a time, keeping the few most recently used: the 5M-frame
 * benchmark capture then costs 100 MB rather than 1.45 GB. Pipes, gzip and live captures keep
 * the bytes.
 */
import { META_WORDS, frameBytes, type FrameBatch, type FrameFile } from '@reef/capture';
import { PackedBatch, pack } from './packed-batch.js';

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

/** Batches read back and kept: the screen's rows, the selected frame, a scan's current batch. */
const CACHED_BATCHES = 8;
const NO_BYTES = new Uint8Array(0);
/** Metadata words (see @reef/capture's batch.ts) cleared for frames that cannot be read back. */
const DATA_OFFSET_WORD = 1;
const CAPLEN_WORD = 2;

export class FrameStore {
  /** As read, or without bytes (packed, or `data` empty) when they can be read back from `file`. */
  private readonly batches: (FrameBatch | PackedBatch)[] = [];
  /** List index of each batch's first frame, ascending. */
  private readonly starts: number[] = [];
  private total = 0;
  /** Why frame bytes could not be read back, when that happened. */
  readError: string | undefined;
  /** Batches read back, by batch position, least recently used first. */
  private readonly cache = new Map<number, FrameBatch>();
  /** The batch `handBack` read last, by position. */
  private lastHandedBack: [number, FrameBatch] | undefined;
  /** Where `scanSpan` reads batches that are not cached. */
  private scanBuffer: Uint8Array | undefined;
  /** Packed batches' metadata unpacked, by batch position, least recently used first. */
  private readonly unpacked = new Map<number, FrameBatch>();

  constructor(private readonly file?: FrameFile) {}

  /** Frames stored so far. */
  get count(): number {
    return this.total;
  }

  /** Whether frame bytes are read back from the file rather than kept. */
  get rereads(): boolean {
    return this.file !== undefined;
  }

  push(batch: FrameBatch): void {
    if (batch.count === 0) return;
    // The reader's arrays can be larger than the batch: keep exactly what is used.
    const meta = batch.meta.length === batch.count * META_WORDS ? batch.meta : batch.meta.slice(0, batch.count * META_WORDS);
    const fileOffset = batch.fileOffset.length === batch.count ? batch.fileOffset : batch.fileOffset.slice(0, batch.count);
    this.batches.push(this.file ? (pack(batch.count, meta, fileOffset) ?? { count: batch.count, meta, fileOffset, data: NO_BYTES }) : { ...batch, meta, fileOffset });
    this.starts.push(this.total);
    this.total += batch.count;
    // The newest frames are the ones on screen while loading: no need to read them back.
    if (this.file) this.remember(this.batches.length - 1, batch);
  }

  /**
   * The batch holding list index `index` (metadata only: its bytes may not be loaded; use
   * `frame` for those), or undefined when out of range.
   */
  locate(index: number): FrameRef | undefined {
    const b = this.position(index);
    return b === undefined ? undefined : { batch: this.meta(b), i: index - this.starts[b]! };
  }

  /** Like `locate`, with the batch's bytes loaded. */
  frame(index: number): FrameRef | undefined {
    const b = this.position(index);
    return b === undefined ? undefined : { batch: this.loaded(b), i: index - this.starts[b]! };
  }

  /** The frame number (1-based, from the capture) at list index `index`. */
  frameNumber(index: number): number | undefined {
    const ref = this.locate(index);
    return ref ? ref.batch.meta[ref.i * META_WORDS]! : undefined;
  }

  /** The captured bytes of the frame at `index` (a view into its batch). */
  bytes(index: number): Uint8Array | undefined {
    const ref = this.frame(index);
    return ref ? frameBytes(ref.batch, ref.i) : undefined;
  }

  /**
   * The bytes of the frame at `index` for the core's re-dissection (reassembled PDUs): from a
   * cached batch, else read into a cache of its own, so a whole-capture pass that rebuilds
   * PDUs does not push the screen's batches out of the LRU.
   */
  handBack(index: number): Uint8Array | undefined {
    const b = this.position(index);
    if (b === undefined) return undefined;
    let batch = this.file ? this.cache.get(b) : this.batches[b] as FrameBatch;
    if (!batch && this.lastHandedBack?.[0] === b) batch = this.lastHandedBack[1];
    if (!batch) {
      try {
        batch = this.file!.read(this.meta(b));
      } catch {
        return undefined;
      }
      this.lastHandedBack = [b, batch];
    }
    return frameBytes(batch, index - this.starts[b]!);
  }

  /** The frames `first .. first+count` (clamped), split at batch boundaries, bytes loaded. */
  spans(first: number, count: number): BatchSpan[] {
    return this.split(first, count, (b) => this.loaded(b));
  }

  /**
   * The frames `first .. first+count` that lie in `first`'s batch (clamped), bytes loaded, for a
   * pass over many frames that uses each span before asking for the next (a display filter):
   * a batch not cached is read into one reused buffer, neither cached nor pushing the screen's
   * batches out. The span's bytes are valid until the next call.
   */
  scanSpan(first: number, count: number): BatchSpan | undefined {
    const b = this.position(first);
    if (b === undefined || count <= 0) return undefined;
    const i = first - this.starts[b]!;
    return { batch: this.scanned(b), start: i, count: Math.min(this.batches[b]!.count - i, count) };
  }

  /** Like `spans`, metadata only: no bytes are read back. */
  metaSpans(first: number, count: number): BatchSpan[] {
    return this.split(first, count, (b) => this.meta(b));
  }

  /** Frames `first .. first+count` (clamped) split at batch boundaries, batch `b` as `batch(b)` gives it. */
  private split(first: number, count: number, batch: (b: number) => FrameBatch): BatchSpan[] {
    const out: BatchSpan[] = [];
    let index = Math.max(0, first);
    const end = Math.min(this.total, first + count);
    while (index < end) {
      const b = this.position(index)!;
      const i = index - this.starts[b]!;
      const n = Math.min(this.batches[b]!.count - i, end - index);
      out.push({ batch: batch(b), start: i, count: n });
      index += n;
    }
    return out;
  }

  /** Every batch with its bytes, loaded one at a time as the iteration reaches it. */
  all(): Iterable<FrameBatch> {
    return { [Symbol.iterator]: () => this.iterate() };
  }

  /** Every batch, metadata only (bytes may not be loaded), unpacked one at a time. */
  *metadata(): Generator<FrameBatch> {
    for (let b = 0; b < this.batches.length; b++) {
      const kept = this.batches[b]!;
      yield kept instanceof PackedBatch ? kept.unpack() : kept;
    }
  }

  close(): void {
    this.cache.clear();
    this.scanBuffer = undefined;
    this.lastHandedBack = undefined;
    this.file?.close();
  }

  private *iterate(): Generator<FrameBatch> {
    // Batches pushed during the iteration are included.
    for (let b = 0; b < this.batches.length; b++) yield this.file ? this.readThrough(b) : this.meta(b);
  }

  /** Position in `batches` of the batch holding list index `index`. */
  private position(index: number): number | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.total) return undefined;
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Batch `b`'s metadata (bytes only if kept), unpacked if need be. */
  private meta(b: number): FrameBatch {
    const kept = this.batches[b]!;
    if (!(kept instanceof PackedBatch)) return kept;
    const hit = this.unpacked.get(b);
    if (hit) return hit;
    const batch = kept.unpack();
    this.unpacked.set(b, batch);
    if (this.unpacked.size > CACHED_BATCHES) this.unpacked.delete(this.unpacked.keys().next().value as number);
    return batch;
  }

  /** Batch `b` with its bytes, from the cache or read back (and cached). */
  private loaded(b: number): FrameBatch {
    if (!this.file) return this.batches[b] as FrameBatch;
    const hit = this.cache.get(b);
    if (hit) {
      this.cache.delete(b);
      this.cache.set(b, hit);
      return hit;
    }
    try {
      return this.remember(b, this.file.read(this.meta(b)));
    } catch (e) {
      return this.unreadable(b, e);
    }
  }

  /**
   * The file changed or went away: the frames stay listed, as empty frames (never stale bytes),
   * and `readError` says why for the status bar, rather than the program failing.
   */
  private unreadable(b: number, e: unknown): FrameBatch {
    this.readError = e instanceof Error ? e.message : String(e);
    const kept = this.meta(b);
    const meta = kept.meta.slice();
    for (let i = 0; i < kept.count; i++) {
      meta[i * META_WORDS + DATA_OFFSET_WORD] = 0;
      meta[i * META_WORDS + CAPLEN_WORD] = 0;
    }
    return { ...kept, meta };
  }

  private remember(b: number, batch: FrameBatch): FrameBatch {
    this.cache.set(b, batch);
    if (this.cache.size > CACHED_BATCHES) this.cache.delete(this.cache.keys().next().value as number);
    return batch;
  }

  /** `scanSpan`'s batch `b`: cached, or read into the scan buffer. */
  private scanned(b: number): FrameBatch {
    if (!this.file) return this.batches[b] as FrameBatch;
    const hit = this.cache.get(b);
    if (hit) return hit;
    try {
      const batch = this.file.read(this.meta(b), this.scanBuffer);
      // A larger batch got an array of its own: keep that one for the next reads.
      if (batch.data.length > (this.scanBuffer?.length ?? 0)) this.scanBuffer = batch.data;
      return batch;
    } catch (e) {
      return this.unreadable(b, e);
    }
  }

  /** A whole-capture pass: a cached batch if there is one, else read without evicting the screen's. */
  private readThrough(b: number): FrameBatch {
    const hit = this.cache.get(b);
    if (hit) return hit;
    try {
      return this.file!.read(this.meta(b));
    } catch (e) {
      return this.unreadable(b, e);
    }
  }
}
