/** Batching: bounded by frame count and bytes; an oversized frame gets a batch of its own. */
import { describe, expect, it } from 'vitest';
import { META_WORDS, frameBytes, frameTimeSeconds } from '../src/batch.js';
import { BatchBuilder } from '../src/builder.js';
import { payload, pcapFile } from './build.js';
import { readBytes } from './util.js';

describe('batching', () => {
  it('cuts batches at 4096 frames by default', () => {
    const records = Array.from({ length: 10_000 }, (_, i) => ({ sec: i, frac: 0, data: payload(8, i) }));
    const { batches, frames } = readBytes(pcapFile({ records }), 65536);
    expect(batches.map((b) => b.count)).toEqual([4096, 4096, 1808]);
    expect(frames.map((f) => f.number)).toEqual(records.map((_, i) => i + 1));
    for (const b of batches) {
      expect(b.meta).toBeInstanceOf(Uint32Array);
      expect(b.meta.byteOffset).toBe(0);
      expect(b.meta.length).toBeGreaterThanOrEqual(b.count * META_WORDS);
      expect(b.fileOffset.length).toBeGreaterThanOrEqual(b.count);
    }
    const last = batches[2]!;
    expect(frameTimeSeconds(last, 0)).toBe(8192);
    expect(frameBytes(last, 0)).toEqual(payload(8, 8192));
  });

  it('cuts batches at 4 MiB of frame data by default', () => {
    const records = Array.from({ length: 100 }, (_, i) => ({ sec: i, frac: 0, data: payload(100 * 1024, i) }));
    const { batches } = readBytes(pcapFile({ snaplen: 262144, records }), 1 << 20);
    // 40 x 100 KiB fit in 4096 KiB, 41 do not.
    expect(batches.map((b) => b.count)).toEqual([40, 40, 20]);
    expect(batches.every((b) => b.data.length <= 4 << 20)).toBe(true);
  });

  it('a frame larger than the byte limit is a batch of its own', () => {
    const records = [10, 5000, 10, 10].map((n, i) => ({ sec: i, frac: 0, data: payload(n, i) }));
    const { batches, frames } = readBytes(pcapFile({ records }), 4096, { maxBatchBytes: 1000 });
    expect(batches.map((b) => b.count)).toEqual([1, 1, 2]);
    expect(frames[1]!.data).toEqual(payload(5000, 1));
  });

  it('honours maxBatchFrames and keeps the data layout back to back', () => {
    const b = new BatchBuilder({ maxBatchFrames: 2 });
    const src = payload(30);
    for (let i = 0; i < 5; i++) b.add(src, i, 5, 60, i, 0, 0, 1, 0, 6, i * 100);
    b.flush();
    const out = b.take();
    expect(out.map((x) => x.count)).toEqual([2, 2, 1]);
    expect(Array.from(out[0]!.meta)).toEqual([1, 0, 5, 60, 0, 0, 0, 1, 0, 6, 2, 5, 5, 60, 1, 0, 0, 1, 0, 6]);
    expect(out[0]!.data).toEqual(Uint8Array.from([...src.subarray(0, 5), ...src.subarray(1, 6)]));
    expect(Array.from(out[2]!.fileOffset)).toEqual([400]);
    expect(b.take()).toEqual([]);
  });
});
