/**
 * CaptureReader: the platform-neutral front of the parsers. Feed it chunks; it detects the format
 * by magic number, runs the pcap or pcapng parser and hands out FrameBatches.
 * Node (src/node.ts) and, later, browsers only supply the bytes.
 */
import type { FrameBatch } from './batch.js';
import { BatchBuilder, type BatchLimits } from './builder.js';
import { CaptureFormatError, type TruncationWarning } from './errors.js';
import { PCAP_MAGIC_NSEC, PCAP_MAGIC_USEC, PcapParser } from './pcap.js';
import { BT_SHB, PcapngParser } from './pcapng.js';
import {
  emptyCaptureInfo,
  type CaptureFormat,
  type CaptureInfo,
  type CustomBlockInfo,
  type DecryptionSecrets,
  type InterfaceInfo,
  type NameRecord,
  type SectionInfo,
} from './types.js';

/**
 * What the first bytes of an input are: a capture format, 'gzip' (1f 8b, needs 2 bytes),
 * or undefined (unknown, or fewer than the 4 bytes a capture magic needs).
 */
export function detectFormat(head: Uint8Array): CaptureFormat | 'gzip' | undefined {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length < 4) return undefined;
  const dv = new DataView(head.buffer, head.byteOffset, 4);
  const le = dv.getUint32(0, true);
  const be = dv.getUint32(0, false);
  if (le === BT_SHB) return 'pcapng'; // palindromic; the byte order comes from the SHB body
  for (const m of [le, be]) if (m === PCAP_MAGIC_USEC || m === PCAP_MAGIC_NSEC) return 'pcap';
  return undefined;
}

export interface CaptureReaderOptions extends BatchLimits {
  /** File name used in messages ('-' for stdin). Default '-'. */
  name?: string;
  /**
   * pcapng custom blocks: 'frames' (default) delivers each as a frame, as tshark 4 does, so
   * frame numbers match tshark's; 'skip' ignores them.
   */
  customBlocks?: 'frames' | 'skip';
}

export class CaptureReader {
  readonly name: string;
  /** Known once 4 bytes have been pushed. */
  format: CaptureFormat | undefined;
  /** Set by end() if the input stopped in the middle of a record. */
  truncation: TruncationWarning | undefined;
  private readonly builder: BatchBuilder;
  private readonly info: CaptureInfo = emptyCaptureInfo();
  private readonly customAsFrames: boolean;
  private parser: PcapParser | PcapngParser | undefined;
  private head: Uint8Array = new Uint8Array(0);
  private bytes = 0;
  private ended = false;

  constructor(opts: CaptureReaderOptions = {}) {
    this.name = opts.name ?? '-';
    this.builder = new BatchBuilder(opts);
    this.customAsFrames = opts.customBlocks !== 'skip';
  }

  /** See PacketSource.recycle. */
  recycle(batch: FrameBatch): void {
    this.builder.recycle(batch);
  }

  get interfaces(): InterfaceInfo[] {
    return this.info.interfaces;
  }
  get sections(): SectionInfo[] {
    return this.info.sections;
  }
  /** All section-header comments, in file order. */
  get sectionComments(): string[] {
    return this.info.sections.flatMap((s) => s.comments);
  }
  get frameComments(): Map<number, string[]> {
    return this.info.frameComments;
  }
  get secrets(): DecryptionSecrets[] {
    return this.info.secrets;
  }
  get names(): NameRecord[] {
    return this.info.names;
  }
  get customBlocks(): Map<number, CustomBlockInfo> {
    return this.info.customBlocks;
  }
  /** Frames parsed so far (including those not yet taken). */
  get frameCount(): number {
    return this.builder.nextNumber - 1;
  }
  /** Bytes pushed so far. */
  get bytesRead(): number {
    return this.bytes;
  }

  /**
   * Parses a chunk. The chunk is not retained: the caller may reuse its memory afterwards.
   * If it throws (CaptureFormatError), the frames before the error are still in takeBatches()
   * and the reader refuses further input.
   */
  push(chunk: Uint8Array): void {
    if (this.ended) throw new Error('CaptureReader: push() after end() or an error');
    if (chunk.length === 0) return;
    this.bytes += chunk.length;
    try {
      this.feed(chunk);
    } catch (e) {
      this.ended = true;
      this.builder.flush();
      throw e;
    }
  }

  private feed(chunk: Uint8Array): void {
    if (this.parser) {
      this.parser.push(chunk);
      return;
    }
    // Collect the 4 magic bytes (a pipe may deliver fewer at first).
    const need = 4 - this.head.length;
    if (chunk.length < need) {
      this.head = concat(this.head, chunk);
      return;
    }
    const head = concat(this.head, chunk.subarray(0, need));
    this.head = new Uint8Array(0);
    const parser = this.start(head);
    parser.push(head);
    if (chunk.length > need) parser.push(chunk.subarray(need));
  }

  /**
   * Ends the input: closes the last batch and sets `truncation` if a record was cut short.
   * Throws CaptureFormatError for an empty or too-short input.
   */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.parser) {
      const n = this.head.length;
      const detail = n === 0 ? 'empty file, not a pcap or pcapng file' : `not a pcap or pcapng file (only ${n} byte${n === 1 ? '' : 's'})`;
      throw new CaptureFormatError(n === 0 ? 'empty-file' : 'not-a-capture', this.name, 0, detail);
    }
    this.truncation = this.parser.end();
    this.builder.flush();
  }

  /** Completed batches since the last call, oldest first. */
  takeBatches(): FrameBatch[] {
    return this.builder.take();
  }

  private start(head: Uint8Array): PcapParser | PcapngParser {
    const fmt = detectFormat(head);
    if (fmt !== 'pcap' && fmt !== 'pcapng') {
      const hex = Array.from(head, (x) => x.toString(16).padStart(2, '0')).join('');
      throw new CaptureFormatError('not-a-capture', this.name, 0, `not a pcap or pcapng file (magic 0x${hex})`);
    }
    this.format = fmt;
    const ctx = { name: this.name, builder: this.builder, info: this.info, customBlocksAsFrames: this.customAsFrames };
    this.parser = fmt === 'pcap' ? new PcapParser(ctx) : new PcapngParser(ctx);
    return this.parser;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const r = new Uint8Array(a.length + b.length);
  r.set(a);
  r.set(b, a.length);
  return r;
}
