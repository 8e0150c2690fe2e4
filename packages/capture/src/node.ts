/**
 * Node sources: files, stdin, FIFOs and streams, gzip-decompressed when the bytes say so.
 * Reads are pulled by the consumer (one chunk per step), so memory stays bounded.
 */
import { ReadStream, createReadStream, fstatSync, read } from 'node:fs';
import { open, stat } from 'node:fs/promises';
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
  if (path === '-') {
    const fd = stdinFileFd();
    if (fd === undefined) return openCaptureStream(process.stdin, '-', opts);
    // A file redirected to stdin (`< FILE`): process.stdin would read it 64 KiB at a time.
    // Reads at the descriptor's own position (null), which stays open: it is the process's.
    const readAt: ReadAt = (buf) => new Promise((res, rej) => read(fd, buf, 0, buf.length, null, (e, n) => (e ? rej(e) : res(n))));
    return openPositioned(readAt, fstatSync(fd).size, size, '-', opts, async () => {});
  }
  const st = await stat(path);
  if (!st.isFile()) return openCaptureStream(createReadStream(path, { highWaterMark: size }), path, opts);
  const fh = await open(path, 'r');
  const readAt: ReadAt = (buf, pos) => fh.read(buf, 0, buf.length, pos).then((r) => r.bytesRead);
  return openPositioned(readAt, st.size, size, path, opts, () => fh.close());
}

/** Reads into all of `buf` from byte `pos` of a file; resolves with the count (0 at the end). */
type ReadAt = (buf: Buffer, pos: number) => Promise<number>;

/** A regular file: chunked reads of `size`, the next one running while the last is parsed. */
async function openPositioned(readAt: ReadAt, fileSize: number, size: number, name: string, opts: OpenCaptureOptions, release: () => Promise<void>): Promise<PacketSource> {
  try {
    // Small files get a small buffer; the size is only a hint (the file may grow).
    const first = Buffer.allocUnsafe(Math.max(16, Math.min(size, fileSize)));
    const bytesRead = await readAt(first, 0);
    // Compressed chunks go to zlib asynchronously, so only plain reads may reuse one buffer.
    const reuse = !(bytesRead >= 2 && first[0] === 0x1f && first[1] === 0x8b);
    const raw = fileChunks(readAt, first.subarray(0, bytesRead), size, reuse);
    return await start(raw, name, opts, release);
  } catch (e) {
    await release().catch(() => {});
    throw e;
  }
}

/** fd 0 when standard input is a regular file (Node then makes process.stdin a ReadStream on it). */
function stdinFileFd(): number | undefined {
  const s = process.stdin as NodeJS.ReadableStream;
  const fd = s instanceof ReadStream ? (s as ReadStream & { fd?: unknown }).fd : undefined;
  return typeof fd === 'number' ? fd : undefined;
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

async function* fileChunks(readAt: ReadAt, first: Uint8Array, size: number, reuse: boolean): AsyncGenerator<Uint8Array> {
  if (first.length === 0) return;
  // Read ahead: the next read runs on libuv's thread pool while the consumer parses the chunk
  // just yielded. With reuse, two buffers alternate, so the one being parsed is never the one
  // being filled (the consumer is done with a chunk once it asks for the next).
  const spare = reuse ? [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)] : undefined;
  let turn = 0;
  let pos = first.length;
  const readNext = () => {
    const buf = spare ? spare[turn++ & 1]! : Buffer.allocUnsafe(size);
    return readAt(buf, pos).then((n) => buf.subarray(0, n));
  };
  let pending: Promise<Buffer> | undefined = readNext();
  try {
    yield first;
    for (;;) {
      const chunk: Buffer = await pending;
      pending = undefined;
      if (chunk.length === 0) return;
      pos += chunk.length;
      pending = readNext();
      yield chunk;
    }
  } finally {
    // Stopped early: let the read in flight finish before the caller closes the file.
    if (pending) await pending.catch(() => {});
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
  recycle(batch: FrameBatch): void {
    this.reader.recycle(batch);
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
