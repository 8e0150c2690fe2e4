/** Test helper: run a reader or source to the end and flatten its batches into plain frames. */
import { META_WORDS, FLAG_NO_TIMESTAMP, type FrameBatch } from '../src/batch.js';
import { CaptureReader, type CaptureReaderOptions } from '../src/reader.js';

export interface Frame {
  number: number;
  capLen: number;
  origLen: number;
  /** Exact seconds.nanoseconds, as tshark's frame.time_epoch prints it ('' = no timestamp). */
  time: string;
  sec: bigint;
  nsec: number;
  linkType: number;
  iface: number;
  flags: number;
  fileOffset: number;
  data: Uint8Array;
}

export function framesOf(batch: FrameBatch): Frame[] {
  const out: Frame[] = [];
  const m = batch.meta;
  for (let i = 0; i < batch.count; i++) {
    const b = i * META_WORDS;
    const sec = (BigInt(m[b + 5]! | 0) << 32n) + BigInt(m[b + 4]!);
    const nsec = m[b + 6]!;
    const flags = m[b + 9]!;
    out.push({
      number: m[b]!,
      capLen: m[b + 2]!,
      origLen: m[b + 3]!,
      time: flags & FLAG_NO_TIMESTAMP ? '' : `${sec}.${String(nsec).padStart(9, '0')}`,
      sec,
      nsec,
      linkType: m[b + 7]!,
      iface: m[b + 8]!,
      flags,
      fileOffset: batch.fileOffset[i]!,
      data: batch.data.slice(m[b + 1]!, m[b + 1]! + m[b + 2]!),
    });
  }
  return out;
}

/** Feeds `bytes` to a CaptureReader `chunk` bytes at a time. Throws what the reader throws. */
export function readBytes(bytes: Uint8Array, chunk = bytes.length || 1, opts: CaptureReaderOptions = {}) {
  const reader = new CaptureReader({ name: 'test.pcap', ...opts });
  const batches: FrameBatch[] = [];
  for (let i = 0; i < bytes.length; i += chunk) {
    // A fresh copy each time, then scribbled over: proves the reader keeps no reference.
    const c = bytes.slice(i, i + chunk);
    reader.push(c);
    c.fill(0xee);
    batches.push(...reader.takeBatches());
  }
  reader.end();
  batches.push(...reader.takeBatches());
  return { reader, batches, frames: batches.flatMap(framesOf) };
}

/** The error `fn` throws (fails the test if none). */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an exception');
}
