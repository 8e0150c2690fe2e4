/**
 * Loading: reads every batch of a capture, runs the dissector's first pass over it, and keeps
 * it in the FrameStore. Batches are ingested in slices with the event loop let in between, so
 * keys stay instant while a large file loads; the very first slice is small, so the first
 * screen is drawn as soon as possible. The caller hears about each slice.
 */
import { META_WORDS, describeCaptureError, type FrameBatch, type PacketSource } from '@reef/capture';
import type { FrameStore } from './frame-store.js';

/** Frames in the first slice: enough for a screen, few enough to be ingested at once. */
export const FIRST_SLICE_FRAMES = 256;
/** Frames per later slice: about 10-20 ms of first pass, then keys and redraws get in. */
export const SLICE_FRAMES = 2048;

/** Frames `start .. start+count` of `batch`, sharing its arrays. */
export function sliceBatch(batch: FrameBatch, start: number, count: number): FrameBatch {
  if (start === 0 && count === batch.count) return batch;
  return {
    count,
    meta: batch.meta.subarray(start * META_WORDS, (start + count) * META_WORDS),
    data: batch.data,
    fileOffset: batch.fileOffset.subarray(start, start + count),
  };
}

export interface LoadProgress {
  frames: number;
  /** Share of the file read, 0..1, when it can be known (not for gzip or streams). */
  fraction: number | undefined;
  done: boolean;
  /** Why loading stopped early (a malformed record, an I/O error). */
  error?: string;
  /** The file ended in the middle of a record; every whole frame was loaded. */
  truncation?: string;
  /** Live capture: the kernel's counters (received, dropped) while capturing. */
  live?: { received: number; dropped: number };
}

export interface LoadOptions {
  source: PacketSource;
  store: FrameStore;
  /** The dissector's first pass (`session.ingest`). */
  ingest(batch: FrameBatch): void;
  /** Size of the file in bytes, for the progress fraction. */
  fileSize?: number;
  onProgress(p: LoadProgress): void;
  /** Checked between batches; loading stops when it returns true. */
  cancelled?(): boolean;
  /** Live capture: current kernel counters, added to every progress report. */
  liveCounters?(): { received: number; dropped: number };
}

export async function loadCapture(o: LoadOptions): Promise<LoadProgress> {
  const { source, store } = o;
  const fractionAt = (batch: FrameBatch): number | undefined => {
    if (source.gzip || !o.fileSize) return undefined;
    const last = batch.fileOffset[batch.count - 1] ?? 0;
    return Math.min(1, last / o.fileSize);
  };
  let progress: LoadProgress = { frames: 0, fraction: 0, done: false };
  try {
    reading: for await (const batch of source) {
      for (let at = 0; at < batch.count; ) {
        if (o.cancelled?.()) break reading;
        const part = sliceBatch(batch, at, Math.min(batch.count - at, store.count === 0 ? FIRST_SLICE_FRAMES : SLICE_FRAMES));
        o.ingest(part);
        store.push(part);
        at += part.count;
        progress = { frames: store.count, fraction: fractionAt(part), done: false, ...(o.liveCounters && { live: o.liveCounters() }) };
        o.onProgress(progress);
        // Let key presses and redraws in between slices.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  } catch (e) {
    progress = { ...progress, error: describeError(e, source.name) };
  } finally {
    await source.close().catch(() => {});
  }
  progress = { ...progress, frames: store.count, fraction: 1, done: true, ...(o.liveCounters && { live: o.liveCounters() }) };
  if (source.truncation) progress.truncation = source.truncation.message;
  o.onProgress(progress);
  return progress;
}

/** One line for an error about `file`, like the CLI's. */
export const describeError = describeCaptureError;

