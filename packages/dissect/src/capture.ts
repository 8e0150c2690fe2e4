/**
 * Capture: one capture file (or stream of frames) with its session. It keeps the frames' batches
 * so any frame can be shown again: rows for a range, one frame's tree and bytes, filters, colors,
 * conversations and followed streams. Platform-neutral (browsers, workers, Node).
 */
import { CaptureReader, frameBytes, type FrameBatch, type InterfaceInfo, type TruncationWarning } from '@reef/capture/core';
import type { Dissector, Session } from './session.js';
import { SessionClosedError } from './errors.js';
import type {
  ColorRule,
  Completion,
  Conversation,
  ConversationType,
  Dissection,
  Endpoint,
  FilterCheck,
  FollowedStream,
  FollowMode,
  FrameBatchLike,
  OutputConfig,
  Row,
  TimeFormat,
} from './types.js';

export interface CaptureOptions {
  /** File name used in CaptureFormatError messages. Default `capture`. */
  name?: string;
  /** tshark's `-t` format of the rows' Time column. Default `r` (seconds since the first frame). */
  timeFormat?: TimeFormat;
  /** The local time zone for absolute times; default UTC. */
  zone?: OutputConfig['zone'];
}

/** One frame as a details pane shows it. */
export interface FrameDetails {
  /** The tree, columns and extra data sources (reassembled bytes). */
  dissection: Dissection;
  /** The frame's captured bytes. */
  bytes: Uint8Array;
}

/** Any batch with @reef/capture's layout, plus whatever the reader gives (file offsets). */
type StoredBatch = FrameBatchLike & Partial<Pick<FrameBatch, 'fileOffset'>>;

/**
 * Opens a capture from pcap or pcapng bytes (the whole file), or empty to `push` chunks or
 * `addFrames` batches afterwards. Throws CaptureFormatError (with the byte `offset`) for a
 * malformed file; frames before the error are kept (see `Capture.error`).
 */
export function openCapture(dissector: Dissector, bytes?: Uint8Array, options: CaptureOptions = {}): Capture {
  const capture = new Capture(dissector, options);
  if (bytes) {
    try {
      capture.push(bytes);
      capture.end();
    } catch (e) {
      capture.dispose();
      throw e;
    }
  }
  return capture;
}

/**
 * Reads a capture from a stream (a browser `File.stream()` or fetch body, a Node file stream)
 * chunk by chunk, dissecting frames as they complete, without holding the file in one buffer.
 * Throws CaptureFormatError for a malformed file.
 */
export async function readCapture(
  dissector: Dissector,
  stream: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  options: CaptureOptions = {},
): Promise<Capture> {
  const capture = new Capture(dissector, options);
  try {
    if ('getReader' in stream) {
      const reader = stream.getReader();
      for (let r = await reader.read(); !r.done; r = await reader.read()) capture.push(r.value);
    } else {
      for await (const chunk of stream) capture.push(chunk);
    }
    capture.end();
  } catch (e) {
    capture.dispose();
    throw e;
  }
  return capture;
}

export class Capture {
  readonly session: Session;
  /** Set by `end()` when the input stopped in the middle of a record. */
  truncation: TruncationWarning | undefined;
  private readonly reader: CaptureReader;
  private readonly batches: StoredBatch[] = [];
  /** Index of the first frame of each batch. */
  private readonly firsts: number[] = [];
  private count = 0;
  private disposed = false;
  private configuredInterfaces = -1;
  private readonly options: CaptureOptions;

  constructor(dissector: Dissector, options: CaptureOptions = {}) {
    this.options = options;
    this.session = dissector.openSession();
    // The batches are kept here: the core need not keep copies of reassembled TCP bytes.
    this.session.handBackFrames((n) => {
      if (this.disposed || n < 1 || n > this.count) return undefined;
      const [batch, i] = this.locate(n - 1);
      return frameBytes(batch as FrameBatch, i);
    });
    this.reader = new CaptureReader({ name: options.name ?? 'capture' });
    this.session.configure(this.config());
  }

  /** Frames so far. Frames are numbered from 1, indexes from 0: frame N is index N-1. */
  get frameCount(): number {
    return this.count;
  }

  /** pcap or pcapng, once known. */
  get format(): 'pcap' | 'pcapng' | undefined {
    return this.reader.format;
  }

  get interfaces(): readonly InterfaceInfo[] {
    return this.reader.interfaces;
  }

  /** Feeds a chunk of a pcap/pcapng file (any size); complete frames are dissected at once. */
  push(chunk: Uint8Array): void {
    try {
      this.reader.push(chunk);
    } finally {
      this.take();
    }
  }

  /** Ends a pushed file: dissects the last frames; sets `truncation` for a cut-short file. */
  end(): void {
    try {
      this.reader.end();
      this.truncation = this.reader.truncation;
    } finally {
      this.take();
    }
  }

  /** Adds frames that come from elsewhere (a live source, another reader) in capture order. */
  addFrames(batch: FrameBatchLike): void {
    if (batch.count === 0) return;
    this.session.ingest(batch);
    this.batches.push(batch);
    this.firsts.push(this.count);
    this.count += batch.count;
  }

  /** Summary rows (No., Time, Source, Destination, Protocol, Length, Info) of frames `start .. start+count`. */
  rows(start = 0, count = this.count - start): Row[] {
    const out: Row[] = [];
    this.eachRun(start, count, (b, i, n) => out.push(...this.session.rows(b, i, n)));
    return out;
  }

  /** The details tree and bytes of frame index `index`. */
  details(index: number): FrameDetails {
    const [batch, i] = this.locate(index);
    return { dissection: this.session.dissect(batch, i), bytes: frameBytes(batch as FrameBatch, i).slice() };
  }

  /** The captured bytes of frame index `index`. */
  frameBytes(index: number): Uint8Array {
    const [batch, i] = this.locate(index);
    return frameBytes(batch as FrameBatch, i).slice();
  }

  /** Checks a display filter without applying it (cheap: for every keystroke). */
  checkFilter(filter: string): FilterCheck {
    return this.session.checkFilter(filter);
  }

  /** Registry fields completing the last word of `filter`. */
  complete(filter: string): Completion {
    return this.session.complete(filter);
  }

  /**
   * The indexes of the frames that pass `filter` (all frames for an empty filter). Throws
   * FilterSyntaxError (tshark's message, with a span) for an invalid one.
   */
  matches(filter: string): number[] {
    this.session.setDisplayFilter(filter);
    const out: number[] = [];
    this.eachRun(0, this.count, (b, i, n, first) => {
      const pass = this.session.filterFrames(b, i, n);
      for (let k = 0; k < n; k++) if (pass[k]) out.push(first + k);
    });
    return out;
  }

  /** Wireshark's default coloring rules. */
  colorRules(): ColorRule[] {
    return this.session.colorRules();
  }

  /** For frames `start .. start+count`, the index into `colorRules()` of each one's rule (-1: none). */
  colors(start = 0, count = this.count - start): number[] {
    const out: number[] = [];
    this.eachRun(start, count, (b, i, n) => out.push(...this.session.colorFrames(b, i, n)));
    return out;
  }

  /** tshark's `-z conv,TYPE` over the whole capture. */
  conversations(type: ConversationType): Conversation[] {
    return this.session.conversations(type, this.batches);
  }

  /** tshark's `-z endpoints,TYPE` over the whole capture. */
  endpoints(type: ConversationType): Endpoint[] {
    return this.session.endpoints(type, this.batches);
  }

  /** The payload of TCP or UDP stream `stream` (`tcp.stream` / `udp.stream`), in order. */
  follow(proto: 'tcp' | 'udp', stream: number, mode: FollowMode = 'ascii'): FollowedStream {
    return this.session.follow(proto, stream, this.batches, mode);
  }

  /** Frees the wasm memory of the session. The capture cannot be used afterwards. */
  dispose(): void {
    this.disposed = true;
    this.session.close();
    this.batches.length = 0;
    this.firsts.length = 0;
    this.count = 0;
  }

  private config(): OutputConfig {
    const interfaces = this.reader.interfaces.map(({ section, localId, name, description }) => ({
      section,
      localId,
      ...(name !== undefined ? { name } : {}),
      ...(description !== undefined ? { description } : {}),
    }));
    return {
      mode: 'quiet',
      timeFormat: this.options.timeFormat ?? 'r',
      ...(this.options.zone ? { zone: this.options.zone } : {}),
      ...(this.reader.format ? { capture: { format: this.reader.format, interfaces } } : {}),
    };
  }

  private take(): void {
    for (const batch of this.reader.takeBatches()) {
      // A pcapng file may declare interfaces at any point: the core names them in frame trees.
      if (this.reader.interfaces.length !== this.configuredInterfaces) {
        this.session.configure(this.config());
        this.configuredInterfaces = this.reader.interfaces.length;
      }
      this.addFrames(batch);
    }
  }

  private locate(index: number): [StoredBatch, number] {
    if (this.disposed) throw new SessionClosedError();
    if (!Number.isInteger(index) || index < 0 || index >= this.count) throw new RangeError(`no frame index ${index} (${this.count} frames)`);
    let lo = 0;
    let hi = this.firsts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.firsts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return [this.batches[lo]!, index - this.firsts[lo]!];
  }

  /** Calls `f(batch, first index in batch, count, capture index of that first)` for each batch part of a range. */
  private eachRun(start: number, count: number, f: (b: StoredBatch, i: number, n: number, first: number) => void): void {
    if (this.disposed) throw new SessionClosedError();
    let index = Math.max(0, start);
    const end = Math.min(this.count, start + count);
    while (index < end) {
      const [b, i] = this.locate(index);
      const n = Math.min(b.count - i, end - index);
      f(b, i, n, index);
      index += n;
    }
  }
}
