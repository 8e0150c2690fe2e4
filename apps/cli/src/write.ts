/**
 * Where batches go: summary lines on stdout (dissected in wasm, as tshark prints them) or a
 * capture file (-w). `pump` moves a source's batches into a sink, honouring packet limits.
 */
import { CaptureFileWriter, describeCaptureError, describeWriteError, META_WORDS, type FrameBatch, type PacketSource } from '@reef/capture';
import { loadDissector, localZone, type OutputConfig, type Session } from '@reef/dissect';
import { displayFilter, type Options } from './options.js';
import { Stdout } from './output.js';
import type { Progress } from './progress.js';
import { startStatistics, statisticsText } from './statistics.js';

/** Writing the output failed; the message is complete (it names the file). */
export class OutputError extends Error {}

/** Runs `fn`, turning any failure into an OutputError about `path`. */
async function writing<T>(path: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw new OutputError(describeWriteError(e, path));
  }
}

/** One line for any error of a run: reading `input`, capturing, or writing the output. */
export function describeError(e: unknown, input: string): string {
  return e instanceof OutputError ? e.message : describeCaptureError(e, input);
}

export interface BatchSink {
  /**
   * Consumes frames [0, count) of `batch` from `source`; returns how many it took (fewer once
   * it is full). The batch's memory may be reused once this resolves.
   */
  write(batch: FrameBatch, count: number, source: PacketSource): Promise<number>;
  /** Wants nothing more: -a filesize reached, or the reader of stdout went away. */
  readonly full: boolean;
  close(): Promise<void>;
}

/** A batch holding only its first `n` frames. */
function firstFrames(batch: FrameBatch, n: number): FrameBatch {
  return n >= batch.count ? batch : { ...batch, count: n, meta: batch.meta.subarray(0, n * META_WORDS) };
}

/** A batch holding only frame `i` (its bytes stay where they are). */
function oneFrame(batch: FrameBatch, i: number): FrameBatch {
  return { ...batch, count: 1, meta: batch.meta.subarray(i * META_WORDS, (i + 1) * META_WORDS), fileOffset: batch.fileOffset.subarray(i, i + 1) };
}

/** Frames `keep` (indices, in order) of `batch`: their metadata and offsets; the bytes stay where they are. */
export function pickFrames(batch: FrameBatch, keep: readonly number[]): FrameBatch {
  const meta = new Uint32Array(keep.length * META_WORDS);
  const fileOffset = new Float64Array(keep.length);
  keep.forEach((i, k) => {
    meta.set(batch.meta.subarray(i * META_WORDS, (i + 1) * META_WORDS), k * META_WORDS);
    fileOffset[k] = batch.fileOffset[i]!;
  });
  return { ...batch, count: keep.length, meta, fileOffset };
}

/**
 * Whether `--color` applies: as tshark, only on a terminal that announces 24-bit color
 * (COLORTERM=truecolor or 24bit).
 */
function colorActive(o: Options): boolean {
  const term = process.env['COLORTERM'];
  return o.color && process.stdout.isTTY === true && (term === 'truecolor' || term === '24bit');
}

/** What the core prints per frame, from the command line. */
export function outputConfig(o: Options): OutputConfig {
  const format = o.outputFormat ?? 'text';
  const mode = o.quiet ? 'quiet' : format !== 'text' ? format : o.verbose ? 'verbose' : o.hex ? 'quiet' : 'summary';
  return {
    mode,
    hex: o.hex && !o.quiet,
    timeFormat: o.timeFormat,
    fields: o.fields,
    ...o.fieldOptions,
    zone: localZone(),
    color: colorActive(o),
    // Only -2 re-dissects frames; otherwise the core frees what re-dissection would need.
    singlePass: !o.twoPass,
    noDuplicateKeys: o.noDuplicateKeys,
    onlyProtocols: o.onlyProtocols,
    fileName: o.readFile,
    now: asctime(new Date()),
  };
}

/** C's asctime without its newline (`Wed Nov 25 03:08:54 2026`), local time: PDML's `time`. */
function asctime(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getDay()]} ${months[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${d.getFullYear()}`;
}

/**
 * What the core formats per frame (summary lines, -V trees, -T fields, -x), on stdout, and the
 * -z statistics after the last frame; nothing per frame with -q.
 */
export class SummarySink implements BatchSink {
  private readonly stdout = new Stdout();
  private interfaces = 0;
  /** -2: which pass `write` serves (0: the single pass). */
  private pass: 0 | 1 | 2 = 0;

  private constructor(
    private readonly session: Session | undefined,
    private readonly config: OutputConfig,
    private readonly statistics: readonly string[],
    private readonly lineBuffered = false,
  ) {}

  /**
   * Throws ConfigError (from @reef/dissect) for output options or -z arguments the core
   * rejects, and FilterSyntaxError for a display filter it rejects.
   */
  static async open(o: Options): Promise<SummarySink> {
    const config = outputConfig(o);
    // -q without -z prints nothing at all, so there is nothing to dissect.
    if (o.quiet && o.statistics.length === 0) return new SummarySink(undefined, config, []);
    const session = (await loadDissector()).openSession();
    try {
      session.configure(config);
      session.setDisplayFilter(displayFilter(o) ?? '');
      if (o.twoPass) session.setReadFilter(o.readFilter ?? '');
      startStatistics(session, o.statistics);
    } catch (e) {
      session.close();
      throw e;
    }
    const sink = new SummarySink(session, config, o.statistics, o.lineBuffered);
    if (o.twoPass) sink.pass = 1;
    return sink;
  }

  /** -2: the first pass is over; the source's frames come again, from the first. */
  startSecondPass(): void {
    if (this.pass === 1) this.pass = 2;
  }

  get full(): boolean {
    return this.stdout.closed;
  }

  async write(batch: FrameBatch, count: number, source: PacketSource): Promise<number> {
    const session = this.session;
    if (session && count > 0) {
      this.syncInterfaces(session, source);
      const print = (b: FrameBatch) => (this.pass === 2 ? session.printSecondPass(b) : session.ingest(b, { summaries: true }));
      if (this.pass === 1) {
        session.ingestFirstPass(firstFrames(batch, count));
      } else if (this.lineBuffered) {
        // -l: each packet's text leaves as soon as it is formatted.
        for (let i = 0; i < count; i++) {
          const text = print(oneFrame(batch, i));
          if (text && text.length > 0) await this.stdout.write(text);
        }
      } else {
        const text = print(firstFrames(batch, count));
        if (text && text.length > 0) await this.stdout.write(text);
      }
    }
    return count;
  }

  async close(): Promise<void> {
    if (!this.session) return;
    try {
      const end = this.session.finish();
      if (end.length > 0) await this.stdout.write(end);
      // tshark resets the terminal's colors once more at the end of text output.
      if (this.config.color && this.config.mode !== 'fields') await this.stdout.write(new TextEncoder().encode('\x1b[0m'));
      for (const part of statisticsText(this.session, this.statistics)) await this.stdout.write(part);
    } finally {
      this.session.close();
    }
  }

  /** Lets the session go without printing anything (worker threads print: parallel.ts). */
  discard(): void {
    this.session?.close();
  }

  /** Tells the core about the source's interfaces (pcapng may declare more as it goes). */
  private syncInterfaces(session: Session, src: PacketSource): void {
    if (src.interfaces.length === this.interfaces && this.interfaces > 0) return;
    session.configure({ ...this.config, capture: { format: src.format, interfaces: src.interfaces } });
    this.interfaces = src.interfaces.length;
  }
}

export interface FileSinkOptions {
  format?: 'pcap' | 'pcapng';
  /** shb_userappl, e.g. `reef-cli 0.1.0`. */
  application: string;
  os?: string;
  /** -a filesize:KB. */
  maxKilobytes?: number;
}

/** -w FILE|-: whole records only, so the file is valid whenever the process stops. */
export class FileSink implements BatchSink {
  private constructor(
    private readonly path: string,
    private readonly writer: CaptureFileWriter,
    private readonly source: PacketSource,
    private readonly maxBytes: number,
  ) {}

  /** Creates the file and writes its header; throws OutputError (e.g. pcap with two link types, a missing directory). */
  static async open(path: string, source: PacketSource, o: FileSinkOptions): Promise<FileSink> {
    const opts: { format?: 'pcap' | 'pcapng'; application: string; os?: string } = { application: o.application };
    if (o.format) opts.format = o.format;
    if (o.os) opts.os = o.os;
    const writer = await writing(path, () => CaptureFileWriter.create(path, source, opts));
    // dumpcap compares the bytes written with NUM * 1000.
    return new FileSink(path, writer, source, o.maxKilobytes ? o.maxKilobytes * 1000 : Infinity);
  }

  get full(): boolean {
    return this.writer.gone || this.writer.bytesWritten >= this.maxBytes;
  }

  get framesWritten(): number {
    return this.writer.framesWritten;
  }

  /** `source` as it was when the batch was read: the interfaces to declare before its frames. */
  async write(batch: FrameBatch, count: number, source: PacketSource = this.source): Promise<number> {
    if (this.full) return 0;
    return writing(this.path, () => this.writer.write(batch, source, count, this.maxBytes));
  }

  /** Writes the trailer (interface statistics) and closes the file. */
  async close(): Promise<void> {
    await writing(this.path, () => this.writer.close(this.source));
  }
}

/**
 * Moves batches from `source` to `sink` until the source ends, `limit` frames went through, the
 * sink is full or `stop()` says so (checked between batches). Returns the frames delivered.
 */
export async function pump(source: PacketSource, sink: BatchSink, limit: number, stop: () => boolean = () => false, progress?: Progress): Promise<number> {
  let frames = 0;
  if (limit <= 0 || sink.full) return 0;
  try {
    for await (const batch of source) {
      const took = await sink.write(batch, Math.min(batch.count, limit - frames), source);
      progress?.update(frames + took, took > 0 ? batch.fileOffset[took - 1]! : -1);
      // Sinks are done with a batch once `write` resolves.
      source.recycle?.(batch);
      frames += took;
      if (frames >= limit || sink.full || stop()) break;
    }
  } finally {
    progress?.clear();
  }
  return frames;
}

/**
 * -w with -Y: dissects every frame (analysis sees them all) and passes on only those the
 * display filter accepts, as tshark writes only displayed packets.
 */
export class FilteredSink implements BatchSink {
  private interfaces = 0;

  private constructor(
    private readonly inner: BatchSink,
    private readonly session: Session,
  ) {}

  /** Wraps `inner` when the command line has a display filter (FilterSyntaxError if invalid). */
  static async wrap(inner: BatchSink, o: Options): Promise<BatchSink> {
    // -2 -R with -w: a frame is written when both filters pass it (one pass is enough here:
    // nothing is printed, so no renumbering shows).
    const shown = displayFilter(o);
    const read = o.twoPass ? o.readFilter : undefined;
    const filter = read !== undefined && shown !== undefined ? `(${read}) && (${shown})` : (read ?? shown);
    if (filter === undefined) return inner;
    const session = (await loadDissector()).openSession();
    try {
      session.configure({ mode: 'quiet', zone: localZone(), singlePass: true });
      session.setDisplayFilter(filter);
    } catch (e) {
      session.close();
      throw e;
    }
    return new FilteredSink(inner, session);
  }

  get full(): boolean {
    return this.inner.full;
  }

  async write(batch: FrameBatch, count: number, source: PacketSource): Promise<number> {
    if (count === 0) return 0;
    if (source.interfaces.length !== this.interfaces) {
      this.session.configure({ mode: 'quiet', zone: localZone(), singlePass: true, capture: { format: source.format, interfaces: source.interfaces } });
      this.interfaces = source.interfaces.length;
    }
    const part = firstFrames(batch, count);
    const pass = this.session.ingestFiltered(part);
    // The passing frames, in order: their metadata and offsets; the bytes stay where they are.
    const keep: number[] = [];
    pass.forEach((p, i) => p && keep.push(i));
    const taken = await this.inner.write(pickFrames(batch, keep), keep.length, source);
    // Frames up to the last one written were consumed (filtered ones included).
    return taken === keep.length ? count : taken === 0 ? 0 : keep[taken - 1]! + 1;
  }

  async close(): Promise<void> {
    this.session.close();
    await this.inner.close();
  }
}
