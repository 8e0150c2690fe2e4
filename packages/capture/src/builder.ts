/**
 * BatchBuilder: packs frames into FrameBatch typed arrays and cuts a new batch when one is full,
 * so memory stays bounded whatever the capture size. Frame numbers are assigned here, so they run
 * on across pcapng sections.
 */
import { META_WORDS, type FrameBatch } from './batch.js';

export interface BatchLimits {
  /** Frames per batch (default 4096). */
  maxBatchFrames?: number;
  /** Frame bytes per batch (default 4 MiB); a single larger frame gets a batch of its own. */
  maxBatchBytes?: number;
}

export const DEFAULT_BATCH_FRAMES = 4096;
export const DEFAULT_BATCH_BYTES = 4 * 1024 * 1024;
/** Batches handed back and kept for reuse, at most. */
const MAX_SPARES = 4;

/** Start small and double: most captures opened interactively are tiny. */
const INITIAL_FRAMES = 64;
const INITIAL_BYTES = 64 * 1024;

export class BatchBuilder {
  /** Number the next frame will get (1-based). */
  nextNumber = 1;
  private readonly maxFrames: number;
  private readonly maxBytes: number;
  private meta = new Uint32Array(INITIAL_FRAMES * META_WORDS);
  private offsets = new Float64Array(INITIAL_FRAMES);
  private data = new Uint8Array(INITIAL_BYTES);
  private count = 0;
  private dataLen = 0;
  private ready: FrameBatch[] = [];
  private readonly spares: { meta: Uint32Array<ArrayBuffer>; offsets: Float64Array<ArrayBuffer>; data: Uint8Array<ArrayBuffer> }[] = [];

  constructor(limits: BatchLimits = {}) {
    this.maxFrames = Math.max(1, limits.maxBatchFrames ?? DEFAULT_BATCH_FRAMES);
    this.maxBytes = Math.max(1, limits.maxBatchBytes ?? DEFAULT_BATCH_BYTES);
  }

  /**
   * Appends one frame, copying `capLen` bytes of `src` from `srcOff` (the caller's chunk may be
   * reused after this returns). Returns the frame's number.
   */
  add(
    src: Uint8Array,
    srcOff: number,
    capLen: number,
    origLen: number,
    secLo: number,
    secHi: number,
    nsec: number,
    linkType: number,
    iface: number,
    flags: number,
    fileOffset: number,
  ): number {
    if (this.count > 0 && (this.count >= this.maxFrames || this.dataLen + capLen > this.maxBytes)) this.flush();
    if (this.count * META_WORDS >= this.meta.length) this.growMeta();
    if (this.dataLen + capLen > this.data.length) this.growData(this.dataLen + capLen);
    const n = this.nextNumber++;
    const m = this.meta;
    const b = this.count * META_WORDS;
    m[b] = n;
    m[b + 1] = this.dataLen;
    m[b + 2] = capLen;
    m[b + 3] = origLen;
    m[b + 4] = secLo;
    m[b + 5] = secHi;
    m[b + 6] = nsec;
    m[b + 7] = linkType;
    m[b + 8] = iface;
    m[b + 9] = flags;
    this.offsets[this.count] = fileOffset;
    this.data.set(src.subarray(srcOff, srcOff + capLen), this.dataLen);
    this.dataLen += capLen;
    this.count++;
    return n;
  }

  /** Closes the current batch (if it has frames) and starts a fresh one. */
  flush(): void {
    if (this.count === 0) return;
    this.ready.push({
      count: this.count,
      data: this.data.subarray(0, this.dataLen),
      meta: this.meta.subarray(0, this.count * META_WORDS),
      fileOffset: this.offsets.subarray(0, this.count),
    });
    // New arrays (the emitted batch keeps the old ones), sized for what this batch held: a
    // source that filled one batch fills the next, and growing again from small would copy
    // every frame's bytes a second time. Arrays of a batch handed back are used again.
    const frames = Math.min(this.maxFrames, pow2AtLeast(Math.max(INITIAL_FRAMES, this.count)));
    const bytes = Math.min(this.maxBytes, pow2AtLeast(Math.max(INITIAL_BYTES, this.dataLen)));
    const spare = this.spares.pop();
    if (spare && spare.meta.length >= frames * META_WORDS && spare.data.length >= bytes) {
      this.meta = spare.meta;
      this.offsets = spare.offsets;
      this.data = spare.data;
    } else {
      this.meta = new Uint32Array(frames * META_WORDS);
      this.offsets = new Float64Array(frames);
      this.data = new Uint8Array(bytes);
    }
    this.count = 0;
    this.dataLen = 0;
  }

  /**
   * Hands back a batch this builder emitted, once nothing reads it any more: its arrays hold
   * the next batches. A long read then allocates no memory per batch, which keeps the heap
   * from fragmenting into hundreds of MB of freed batch-sized holes.
   */
  recycle(batch: FrameBatch): void {
    const meta = batch.meta.buffer;
    const data = batch.data.buffer;
    const offsets = batch.fileOffset.buffer;
    if (this.spares.length >= MAX_SPARES || !(data instanceof ArrayBuffer) || !(meta instanceof ArrayBuffer) || !(offsets instanceof ArrayBuffer)) return;
    if (meta === this.meta.buffer || data === this.data.buffer) return;
    this.spares.push({ meta: new Uint32Array(meta), offsets: new Float64Array(offsets), data: new Uint8Array(data) });
  }

  /** Completed batches since the last call, oldest first. */
  take(): FrameBatch[] {
    const r = this.ready;
    this.ready = [];
    return r;
  }

  /** Frames in the batch being built (not yet in `take()`). */
  get pending(): number {
    return this.count;
  }

  private growMeta(): void {
    const frames = Math.min(this.maxFrames, (this.meta.length / META_WORDS) * 2);
    const meta = new Uint32Array(Math.max(frames, this.count + 1) * META_WORDS);
    meta.set(this.meta);
    this.meta = meta;
    const offsets = new Float64Array(meta.length / META_WORDS);
    offsets.set(this.offsets);
    this.offsets = offsets;
  }

  private growData(min: number): void {
    let size = Math.max(this.data.length, 1);
    while (size < min) size *= 2;
    // Don't overshoot the batch limit unless one frame alone needs it.
    size = Math.max(min, Math.min(size, this.maxBytes));
    const data = new Uint8Array(size);
    data.set(this.data.subarray(0, this.dataLen));
    this.data = data;
  }
}

function pow2AtLeast(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
