/**
 * What the pcap and pcapng encoders share. Platform-neutral: an encoder turns FrameBatches into
 * bytes made of whole records only, so whatever prefix of its output reaches a file is a valid
 * capture; a Node sink (file-writer.ts) does the I/O.
 */
import type { FrameBatch } from './batch.js';
import type { CaptureFormat, CustomBlockInfo, DecryptionSecrets, InterfaceInfo, SectionInfo } from './types.js';

/** What an encoder reads from the source besides the frames; PacketSource has all of it. */
export interface WriterSource {
  readonly interfaces: readonly InterfaceInfo[];
  readonly sections?: readonly SectionInfo[];
  readonly sectionComments?: readonly string[];
  readonly frameComments?: ReadonlyMap<number, readonly string[]>;
  readonly customBlocks?: ReadonlyMap<number, CustomBlockInfo>;
  /** pcapng Decryption Secrets Blocks, each written before the frame it precedes. */
  readonly secrets?: readonly DecryptionSecrets[];
}

export interface EncoderOptions {
  /** pcapng shb_userappl, e.g. `reef-cli 0.1.0`, when the source's first section has none. */
  application?: string;
  /** pcapng shb_os, when the source's first section has none. */
  os?: string;
  /** pcapng shb_hardware, when the source's first section has none. */
  hardware?: string;
}

export interface CaptureEncoder {
  readonly format: CaptureFormat;
  /** Frames encoded so far. */
  readonly framesWritten: number;
  /** Frames of the last encode() call that were written (less than asked when stopAtBytes cut it). */
  readonly lastFrames: number;
  /** The file header (and, pcapng, the interfaces known so far). Call once, first. */
  header(src: WriterSource): Uint8Array;
  /**
   * Whole records for frames [0, count) of `batch`, preceded by blocks for interfaces that
   * appeared since the last call. With `stopAtBytes`, stops after the first frame that brings the
   * output (counted from the header on) to that size. The result is valid until the next call.
   */
  encode(batch: FrameBatch, src: WriterSource, count?: number, stopAtBytes?: number): Uint8Array;
  /** What ends the file (pcapng: Interface Statistics Blocks for interfaces that have counters). */
  trailer(src: WriterSource): Uint8Array;
  /** Bytes produced so far. */
  readonly bytesWritten: number;
}

/** Thrown when frames cannot be written in the chosen format. */
export class CaptureWriteError extends Error {
  override readonly name = 'CaptureWriteError';
  constructor(
    readonly code: 'link-type-mismatch' | 'timestamp-range',
    message: string,
  ) {
    super(message);
  }
}

/** A growable little-endian byte buffer, reused across calls. */
export class ByteSink {
  buf = new Uint8Array(64 * 1024);
  dv = new DataView(this.buf.buffer);
  len = 0;

  reset(): void {
    this.len = 0;
  }

  reserve(n: number): void {
    const need = this.len + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.dv = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.reserve(1);
    this.buf[this.len++] = v;
  }

  u16(v: number): void {
    this.reserve(2);
    this.dv.setUint16(this.len, v, true);
    this.len += 2;
  }

  u32(v: number): void {
    this.reserve(4);
    this.dv.setUint32(this.len, v >>> 0, true);
    this.len += 4;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** Zero bytes up to the next multiple of 4. */
  pad4(): void {
    while (this.len & 3) this.u8(0);
  }

  /** Overwrites a u32 written earlier (block lengths). */
  patch32(at: number, v: number): void {
    this.dv.setUint32(at, v >>> 0, true);
  }

  view(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

/** Scratch result of ticksOf(). */
export interface Ticks {
  hi: number;
  lo: number;
}

/**
 * sec * mult + add as an unsigned 64-bit (hi, lo) pair, exact: 16-bit limbs keep every partial
 * product below 2^53. `mult` and `add` must be below 2^31.
 */
export function mulAdd64(secHi: number, secLo: number, mult: number, add: number, out: Ticks): void {
  const t0 = (secLo & 0xffff) * mult + add;
  const t1 = (secLo >>> 16) * mult + Math.floor(t0 / 65536);
  const t2 = (secHi & 0xffff) * mult + Math.floor(t1 / 65536);
  const t3 = (secHi >>> 16) * mult + Math.floor(t2 / 65536);
  out.lo = ((t1 % 65536) * 65536 + (t0 % 65536)) >>> 0;
  out.hi = ((t3 % 65536) * 65536 + (t2 % 65536)) >>> 0;
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/**
 * Converts (sec, nsec) to pcapng ticks for an if_tsresol the writer uses (decimal 0..9, or
 * binary 2^-e with e <= 29: see pcapngResolution). Binary fractions round up, which gives back
 * exactly the tick count a reader floored to nanoseconds.
 */
export function ticksOf(secHi: number, secLo: number, nsec: number, tsresol: number, out: Ticks): void {
  if (tsresol & 0x80) {
    const e = tsresol & 0x7f;
    const frac = Number((BigInt(nsec) * (1n << BigInt(e)) + 999_999_999n) / 1_000_000_000n);
    mulAdd64(secHi, secLo, 2 ** e, frac, out);
  } else {
    mulAdd64(secHi, secLo, POW10[tsresol]!, Math.floor(nsec / POW10[9 - tsresol]!), out);
  }
}

/** The if_tsresol a writer uses for an interface: its own when ticks can hold it exactly, else nanoseconds. */
export function pcapngResolution(tsResol: number): number {
  if (tsResol & 0x80) return (tsResol & 0x7f) <= 29 ? tsResol : 9;
  return tsResol <= 9 ? tsResol : 9;
}
