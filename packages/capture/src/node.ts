/**
 * Node sources: files, stdin, FIFOs and streams, gzip-decompressed when the bytes say so.
 * Reads are pulled by the consumer (one chunk per step), so memory stays bounded.
 */
import { createReadStream } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { FrameBatch } from './batch.js';
import { CaptureFormatError, type TruncationWarning } from './errors.js';
import { LiveCaptureError } from './live-errors.js';
import { CaptureReader, type CaptureReaderOptions } from './reader.js';
import { CaptureWriteError } from './writer.js';
import type { CaptureFormat, PacketSource } from './types.js';

export interface OpenCaptureOptions extends Omit<CaptureReaderOptions, 'name'> {
  /** Bytes per read of a regular file (default 1 MiB). */
  chunkSize?: number;
}

const DEFAULT_CHUNK = 1 << 20;
type Chunks = AsyncIterator<Uint8Array>;

/**
 * Opens a capture file: `-` is stdin, a FIFO or other non-regular file is read as a stream, a
 * regular file with positioned reads. Resolves once the format is known (rejects with
 * CaptureFormatError if the input is not a capture); later format errors come from iteration,
 * after the frames before them.
 */
export async function openCaptureFile(path: string, opts: OpenCaptureOptions = {}): Promise<PacketSource> {
  const size = opts.chunkSize ?? DEFAULT_CHUNK;
  if (path === '-') return openCaptureStream(process.stdin, '-', opts);
  const st = await stat(path);
  if (!st.isFile()) return openCaptureStream(createReadStream(path, { highWaterMark: size }), path, opts);
  const fh = await open(path, 'r');
  try {
    // Small files get a small buffer; the size is only a hint (the file may grow).
    const first = Buffer.allocUnsafe(Math.max(16, Math.min(size, st.size)));
    const { bytesRead } = await fh.read(first, 0, first.length, 0);
    // Compressed chunks go to zlib asynchronously, so only plain reads may reuse one buffer.
    const reuse = !(bytesRead >= 2 && first[0] === 0x1f && first[1] === 0x8b);
    const raw = fileChunks(fh, first.subarray(0, bytesRead), size, reuse);
    return await start(raw, path, opts, () => fh.close());
  } catch (e) {
    await fh.close().catch(() => {});
    throw e;
  }
}

/** Reads a capture from a byte stream (stdin, a pipe, a socket, a child's stdout...). */
export async function openCaptureStream(
  readable: NodeJS.ReadableStream | Readable,
  name = '-',
  opts: OpenCaptureOptions = {},
): Promise<PacketSource> {
  const it = (readable as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
  const raw: Chunks = {
    next: async () => {
      const r = await it.next();
      if (r.done) return r;
      if (typeof r.value === 'string') throw new TypeError(`${name}: stream has an encoding set; capture data must be bytes`);
      return r as IteratorResult<Uint8Array>;
    },
    return: async () => {
      await it.return?.();
      return { done: true, value: undefined };
    },
  };
  const destroy = async () => {
    if ('destroy' in readable && typeof readable.destroy === 'function') readable.destroy();
  };
  return start(raw, name, opts, destroy);
}

async function* fileChunks(fh: FileHandle, first: Uint8Array, size: number, reuse: boolean): AsyncGenerator<Uint8Array> {
  if (first.length === 0) return;
  yield first;
  let pos = first.length;
  const shared = reuse ? Buffer.allocUnsafe(size) : undefined;
  for (;;) {
    const buf = shared ?? Buffer.allocUnsafe(size);
    const { bytesRead } = await fh.read(buf, 0, size, pos);
    if (bytesRead === 0) return;
    pos += bytesRead;
    yield buf.subarray(0, bytesRead);
  }
}

/** Sniffs gzip, then pumps chunks into a reader until the capture format is known. */
async function start(raw: Chunks, name: string, opts: OpenCaptureOptions, release: () => Promise<void>): Promise<PacketSource> {
  const cleanup = async () => {
    await raw.return?.().catch(() => {});
    await release().catch(() => {});
  };
  try {
    const head: Uint8Array[] = [];
    let n = 0;
    let rawDone = false;
    while (n < 2) {
      const r = await raw.next();
      if (r.done) {
        rawDone = true;
        break;
      }
      head.push(r.value);
      n += r.value.length;
    }
    const magic = Buffer.concat(head).subarray(0, 2);
    const gzip = magic.length === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
    const plain = prepend(head, rawDone ? undefined : raw);
    const chunks = gzip ? gunzip(plain) : plain;
    const src = new NodePacketSource(name, gzip, chunks, new CaptureReader({ ...opts, name }), cleanup);
    await src.detect();
    return src;
  } catch (e) {
    await cleanup();
    throw e;
  }
}

async function* prepend(head: Uint8Array[], rest: Chunks | undefined): AsyncGenerator<Uint8Array> {
  yield* head;
  if (!rest) return;
  for (;;) {
    const r = await rest.next();
    if (r.done) return;
    yield r.value;
  }
}

function gunzip(src: AsyncGenerator<Uint8Array>): Chunks {
  const z = createGunzip({ chunkSize: 256 * 1024 });
  // pipeline forwards source errors to zlib and cleans up both; errors surface from iteration.
  pipeline(Readable.from(src, { objectMode: false }), z, () => {});
  return z[Symbol.asyncIterator]();
}

class NodePacketSource implements PacketSource {
  private pendingError: unknown;
  private done = false;
  private iterating = false;
  private closed = false;

  constructor(
    readonly name: string,
    readonly gzip: boolean,
    private readonly chunks: Chunks,
    private readonly reader: CaptureReader,
    private readonly release: () => Promise<void>,
  ) {}

  get format(): CaptureFormat {
    return this.reader.format!;
  }
  get interfaces() {
    return this.reader.interfaces;
  }
  get sections() {
    return this.reader.sections;
  }
  get sectionComments() {
    return this.reader.sectionComments;
  }
  get frameComments() {
    return this.reader.frameComments;
  }
  get secrets() {
    return this.reader.secrets;
  }
  get names() {
    return this.reader.names;
  }
  get customBlocks() {
    return this.reader.customBlocks;
  }
  get truncation(): TruncationWarning | undefined {
    return this.reader.truncation;
  }
  get frameCount(): number {
    return this.reader.frameCount;
  }

  /**
   * Reads until the format and a first interface (or frame) are known, so `interfaces` is
   * usable right after open; rejects if the input is not a capture.
   */
  async detect(): Promise<void> {
    const r = this.reader;
    while (r.format === undefined || (r.interfaces.length === 0 && r.frameCount === 0)) {
      if (!(await this.step())) break;
    }
    // Not-a-capture is an open() failure; anything later waits for its turn in iteration.
    if (this.reader.format === undefined && this.pendingError) throw this.pendingError;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<FrameBatch> {
    if (this.iterating) throw new Error(`${this.name}: a PacketSource can be iterated only once`);
    this.iterating = true;
    try {
      for (;;) {
        yield* this.reader.takeBatches();
        if (this.pendingError) throw this.pendingError;
        if (this.done || this.closed) return;
        await this.step();
      }
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.chunks.return?.().catch(() => {});
    await this.release();
  }

  /** Reads and parses one chunk; false once the input has ended or failed. */
  private async step(): Promise<boolean> {
    let r: IteratorResult<Uint8Array>;
    try {
      r = await this.chunks.next();
    } catch (e) {
      this.inputFailed(e);
      return false;
    }
    try {
      if (r.done) {
        this.done = true;
        this.reader.end();
        return false;
      }
      this.reader.push(r.value);
      return true;
    } catch (e) {
      this.pendingError = e;
      return false;
    }
  }

  /** A read or decompression error. A gzip stream cut short is a truncation, like a cut-short file. */
  private inputFailed(e: unknown): void {
    const err = e as NodeJS.ErrnoException;
    if (!this.gzip || typeof err?.code !== 'string' || !err.code.startsWith('Z_')) {
      this.pendingError = e;
      return;
    }
    const at = this.reader.bytesRead;
    if (err.code === 'Z_BUF_ERROR' && this.reader.format !== undefined) {
      this.done = true;
      this.reader.end();
      this.reader.truncation ??= {
        frame: this.reader.frameCount + 1,
        offset: at,
        message: `${this.name}: file appears to be cut short in the middle of the compressed data (at decompressed byte offset ${at})`,
      };
      return;
    }
    this.pendingError = new CaptureFormatError('gzip', this.name, at, `corrupt gzip data at decompressed byte offset ${at}: ${err.message}`);
  }
}

/** One line for any error opening, reading or writing `file`, or capturing: our errors' own text, or the OS's. */
export function describeCaptureError(e: unknown, file: string): string {
  if (e instanceof CaptureFormatError || e instanceof LiveCaptureError || e instanceof CaptureWriteError) return e.message;
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return `${file}: no such file`;
  if (err.code === 'EACCES') return `${file}: permission denied`;
  if (err.code === 'EISDIR') return `${file}: is a directory, not a capture file`;
  return `${file}: ${err.message ?? String(e)}`;
}

/** One line for an error creating or writing the capture file `file` (`-` = stdout). */
export function describeWriteError(e: unknown, file: string): string {
  if (e instanceof CaptureWriteError) return e.message;
  const err = e as NodeJS.ErrnoException;
  const what = file === '-' ? 'the standard output' : file;
  const why: Record<string, string> = {
    ENOENT: 'no such directory',
    EACCES: 'permission denied',
    EISDIR: 'is a directory',
    ENOSPC: 'no space left on the device',
    EROFS: 'read-only file system',
  };
  return `cannot write ${what}: ${(err.code && why[err.code]) ?? err.message ?? String(e)}`;
}
