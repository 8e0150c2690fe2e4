/**
 * Writes a capture to a file or stdout (`-`). Every write carries whole records, and the header
 * goes out at creation, so the file is a valid capture at any moment: a process stopped between
 * writes (SIGINT, SIGTERM handled by the caller) leaves every frame written so far readable.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { FrameBatch } from './batch.js';
import { createEncoder, type CaptureWriterOptions } from './encoders.js';
import type { CaptureFormat } from './types.js';
import type { CaptureEncoder, WriterSource } from './writer.js';

/** Where the bytes go: a file handle, or stdout with back-pressure. */
interface Output {
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
  /** The reader of stdout went away (EPIPE). */
  readonly gone: boolean;
}

export class CaptureFileWriter {
  private closed = false;

  private constructor(
    /** As given (`-` = stdout). */
    readonly path: string,
    private readonly out: Output,
    private readonly encoder: CaptureEncoder,
  ) {}

  /**
   * Creates (truncates) `path` and writes the header and the interfaces `src` knows. Format
   * problems (e.g. pcap with two link types) throw CaptureWriteError before the file is touched.
   */
  static async create(path: string, src: WriterSource, opts: CaptureWriterOptions = {}): Promise<CaptureFileWriter> {
    const encoder = createEncoder(opts);
    const header = encoder.header(src).slice();
    const out = path === '-' ? stdoutOutput() : await fileOutput(path);
    const w = new CaptureFileWriter(path, out, encoder);
    await out.write(header);
    return w;
  }

  get format(): CaptureFormat {
    return this.encoder.format;
  }
  get bytesWritten(): number {
    return this.encoder.bytesWritten;
  }
  get framesWritten(): number {
    return this.encoder.framesWritten;
  }
  /** Nobody reads the output any more (stdout closed): stop producing. */
  get gone(): boolean {
    return this.out.gone;
  }

  /**
   * Writes frames [0, count) of `batch`; with `stopAtBytes`, stops after the frame that brings the
   * file to that size. Returns how many of the batch's frames were consumed.
   */
  async write(batch: FrameBatch, src: WriterSource, count = batch.count, stopAtBytes?: number): Promise<number> {
    const bytes = this.encoder.encode(batch, src, count, stopAtBytes);
    await this.out.write(bytes);
    return this.encoder.lastFrames;
  }

  /** Writes the trailer (pcapng statistics) and closes. Idempotent. */
  async close(src: WriterSource): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.out.write(this.encoder.trailer(src));
    } finally {
      await this.out.close();
    }
  }
}

async function fileOutput(path: string): Promise<Output> {
  const fh: FileHandle = await open(path, 'w');
  return {
    gone: false,
    async write(bytes) {
      let done = 0;
      while (done < bytes.length) {
        const { bytesWritten } = await fh.write(bytes, done, bytes.length - done);
        done += bytesWritten;
      }
    },
    close: () => fh.close(),
  };
}

function stdoutOutput(): Output {
  const out = process.stdout;
  let gone = false;
  const onError = (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') gone = true;
    else throw e;
  };
  out.on('error', onError);
  return {
    get gone() {
      return gone;
    },
    async write(bytes) {
      if (gone || bytes.length === 0) return;
      // The stream keeps the buffer until it is flushed; ours is reused by the next encode.
      if (!out.write(bytes.slice())) {
        await new Promise<void>((resolve) => {
          const done = () => {
            out.off('drain', done);
            out.off('error', done);
            resolve();
          };
          out.once('drain', done);
          out.once('error', done);
        });
      }
    },
    async close() {
      out.off('error', onError);
      if (gone) return;
      // Resolves once everything written so far has been handed to the OS.
      await new Promise<void>((resolve) => out.write(new Uint8Array(0), () => resolve()));
    },
  };
}
