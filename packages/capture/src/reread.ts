/**
 * Frame bytes read back from the capture file on demand, so a front end can keep only each
 * frame's metadata and file offset (48 bytes) instead of its bytes. Only for regular,
 * uncompressed files: a pipe, stdin, gzip or a live capture cannot be re-read at an offset.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { META_WORDS, Meta, type FrameBatch } from './batch.js';
import type { CaptureFormat } from './types.js';

/** Bytes from a record's start to its frame data: pcap's record header. */
const PCAP_RECORD_HEADER = 16;
/** pcapng: Enhanced and obsolete Packet Blocks' fixed part. */
const PCAPNG_PACKET_FIXED = 28;
/** pcapng: Simple Packet Block header, and a custom block's header (its PEN is frame data). */
const PCAPNG_SHORT_HEADER = 12;
const BT_PB = 2;
const BT_SPB = 3;
const BT_EPB = 6;

/** A batch's frames without their bytes: what a front end keeps. */
export interface FrameIndex {
  count: number;
  meta: Uint32Array;
  fileOffset: Float64Array;
}

export class FrameFile {
  private fd: number;

  constructor(
    readonly path: string,
    readonly format: CaptureFormat,
  ) {
    this.fd = openSync(path, 'r');
  }

  /**
   * The frames of `index` with their bytes read back in one read: `data` is the file range
   * they span, `meta`'s data offsets point into it. Throws if the file is shorter than the
   * frames say (it changed since it was loaded). With `into` (large enough), the bytes go
   * there instead of a new array: a pass over the whole file reuses one buffer.
   */
  read(index: FrameIndex, into?: Uint8Array): FrameBatch {
    const { count, fileOffset } = index;
    const meta = index.meta.slice(0, count * META_WORDS);
    if (count === 0) return { count, meta, data: new Uint8Array(0), fileOffset };
    const base = fileOffset[0]!;
    const lastCap = meta[(count - 1) * META_WORDS + Meta.CapLen]!;
    // The last record's header is at most PCAPNG_PACKET_FIXED bytes.
    const span = fileOffset[count - 1]! - base + PCAPNG_PACKET_FIXED + lastCap;
    const data = into && into.length >= span ? into.subarray(0, span) : new Uint8Array(span);
    let got = 0;
    while (got < span) {
      const n = readSync(this.fd, data, got, span - got, base + got);
      if (n === 0) break;
      got += n;
    }
    const view = new DataView(data.buffer, data.byteOffset, got);
    for (let i = 0; i < count; i++) {
      const at = fileOffset[i]! - base;
      const start = at + this.headerLength(view, at);
      const w = i * META_WORDS;
      if (start + meta[w + Meta.CapLen]! > got) throw new Error(`${this.path}: frame ${meta[w + Meta.Number]} is no longer in the file (it changed since it was opened)`);
      meta[w + Meta.DataOffset] = start;
    }
    return { count, meta, data, fileOffset };
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  /** Bytes from the record at `at` to its frame data. */
  private headerLength(view: DataView, at: number): number {
    if (this.format === 'pcap') return PCAP_RECORD_HEADER;
    if (at + 4 > view.byteLength) return PCAPNG_PACKET_FIXED;
    // Either byte order: block types are small numbers or 0x(4000)0BAD, which are not
    // mistaken for one another once swapped.
    const le = view.getUint32(at, true);
    const type = le > 0xffff && (le & 0xffff) === 0 ? view.getUint32(at, false) : le;
    if (type === BT_EPB || type === BT_PB) return PCAPNG_PACKET_FIXED;
    if (type === BT_SPB) return PCAPNG_SHORT_HEADER;
    return PCAPNG_SHORT_HEADER; // custom blocks (0xBAD, 0x40000BAD)
  }
}
