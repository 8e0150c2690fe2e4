/**
 * pcapng writer: one little-endian section; one IDB per source interface (ids kept, so frame
 * meta's interface word is the EPB's interface id), written before the first packet that needs
 * it; EPBs with the frame's comments; copyable custom blocks kept; ISBs at the end.
 */
import { FLAG_CUSTOM_BLOCK, FLAG_NO_TIMESTAMP, Meta, META_WORDS, type FrameBatch } from './batch.js';
import { BT_CUSTOM, BT_DSB, BT_EPB, BT_IDB, BT_ISB, BT_SHB, BT_SPB, BYTE_ORDER_MAGIC } from './pcapng.js';
import type { DecryptionSecrets, InterfaceInfo, InterfaceStats } from './types.js';
import { ByteSink, pcapngResolution, ticksOf, type CaptureEncoder, type EncoderOptions, type Ticks, type WriterSource } from './writer.js';

const OPT_END = 0;
const OPT_COMMENT = 1;
const SHB_HARDWARE = 2;
const SHB_OS = 3;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;
const IF_FILTER = 11;
const IF_FCSLEN = 13;
const ISB_IFRECV = 4;
const ISB_IFDROP = 5;
const ISB_FILTERACCEPT = 6;
const ISB_OSDROP = 7;
const ISB_USRDELIV = 8;

const utf8 = new TextEncoder();
const TWO32 = 4294967296;

export class PcapngEncoder implements CaptureEncoder {
  readonly format = 'pcapng' as const;
  framesWritten = 0;
  lastFrames = 0;
  bytesWritten = 0;
  private readonly sink = new ByteSink();
  /** if_tsresol written for each interface so far. */
  private readonly resol: number[] = [];
  /** Snaplen of interface 0, for deciding whether a Simple Packet Block reads back the same. */
  private snap0 = 0;
  private readonly ticks: Ticks = { hi: 0, lo: 0 };
  /** Decryption secrets written so far. */
  private secretsDone = 0;

  constructor(private readonly opts: EncoderOptions = {}) {}

  header(src: WriterSource): Uint8Array {
    const s = this.sink;
    s.reset();
    const first = src.sections?.[0];
    const start = this.blockStart(BT_SHB);
    s.u32(BYTE_ORDER_MAGIC);
    s.u16(1);
    s.u16(0);
    s.u32(0xffffffff); // section length: not known in advance
    s.u32(0xffffffff);
    const comments = src.sectionComments ?? src.sections?.flatMap((x) => x.comments) ?? [];
    for (const c of comments) this.optString(OPT_COMMENT, c);
    // A copied capture keeps the section's own description; ours fills what it lacks.
    const hardware = first?.hardware ?? this.opts.hardware;
    const os = first?.os ?? this.opts.os;
    const appl = first?.userAppl ?? this.opts.application;
    if (hardware) this.optString(SHB_HARDWARE, hardware);
    if (os) this.optString(SHB_OS, os);
    if (appl) this.optString(SHB_USERAPPL, appl);
    this.endOptions(start, 24);
    this.blockEnd(start);
    this.newInterfaces(src);
    this.secretsBefore(src, 1);
    this.bytesWritten += s.len;
    return s.view();
  }

  encode(batch: FrameBatch, src: WriterSource, count = batch.count, stopAtBytes = Infinity): Uint8Array {
    const s = this.sink;
    s.reset();
    this.newInterfaces(src);
    const m = batch.meta;
    let n = 0;
    for (let i = 0; i < count; i++) {
      const b = i * META_WORDS;
      n++;
      this.secretsBefore(src, m[b + Meta.Number]!);
      const flags = m[b + Meta.Flags]!;
      const capLen = m[b + Meta.CapLen]!;
      const off = m[b + Meta.DataOffset]!;
      const data = batch.data.subarray(off, off + capLen);
      if (flags & FLAG_CUSTOM_BLOCK) {
        if (!this.custom(src, m[b + Meta.Number]!, data)) continue;
      } else {
        const iface = m[b + Meta.Interface]!;
        const origLen = m[b + Meta.OrigLen]!;
        if (flags & FLAG_NO_TIMESTAMP && iface === 0 && this.spbReadsBack(capLen, origLen)) {
          this.simplePacket(data, origLen);
        } else {
          this.enhancedPacket(src, m, b, iface, data, origLen);
        }
      }
      this.framesWritten++;
      if (this.bytesWritten + s.len >= stopAtBytes) break;
    }
    this.lastFrames = n;
    this.bytesWritten += s.len;
    return s.view();
  }

  trailer(src: WriterSource): Uint8Array {
    const s = this.sink;
    s.reset();
    const now = Date.now();
    const secs = Math.floor(now / 1000);
    const nsec = (now % 1000) * 1e6;
    this.secretsBefore(src, Infinity);
    for (const [id, info] of src.interfaces.entries()) {
      if (!info.stats || id >= this.resol.length) continue;
      this.statistics(id, info.stats, secs, nsec);
    }
    this.bytesWritten += s.len;
    return s.view();
  }

  /** DSBs (e.g. TLS key logs) that the source had before frame `frame`, in their place. */
  private secretsBefore(src: WriterSource, frame: number): void {
    const list = src.secrets;
    if (!list) return;
    while (this.secretsDone < list.length && list[this.secretsDone]!.beforeFrame <= frame) {
      this.secret(list[this.secretsDone++]!);
    }
  }

  private secret(d: DecryptionSecrets): void {
    const s = this.sink;
    const start = this.blockStart(BT_DSB);
    s.u32(d.type);
    s.u32(d.data.length);
    s.bytes(d.data);
    s.pad4();
    this.blockEnd(start);
  }

  /** IDBs for interfaces the source declared since the last call. */
  private newInterfaces(src: WriterSource): void {
    for (let id = this.resol.length; id < src.interfaces.length; id++) this.interface(src.interfaces[id]!);
  }

  private interface(info: InterfaceInfo): void {
    const s = this.sink;
    const resol = pcapngResolution(info.tsResol);
    if (this.resol.length === 0) this.snap0 = info.snaplen;
    this.resol.push(resol);
    const start = this.blockStart(BT_IDB);
    s.u16(info.linkType & 0xffff);
    s.u16(0);
    s.u32(info.snaplen);
    for (const c of info.comments) this.optString(OPT_COMMENT, c);
    if (info.name !== undefined) this.optString(IF_NAME, info.name);
    if (info.description !== undefined) this.optString(IF_DESCRIPTION, info.description);
    if (resol !== 6) this.optBytes(IF_TSRESOL, Uint8Array.of(resol));
    if (info.filter !== undefined) {
      // First byte 0: the filter is a libpcap filter string.
      const text = utf8.encode(info.filter);
      const v = new Uint8Array(Math.min(text.length + 1, 0xffff));
      v.set(text.subarray(0, v.length - 1), 1);
      this.optBytes(IF_FILTER, v);
    }
    if (info.fcsLen !== undefined) this.optBytes(IF_FCSLEN, Uint8Array.of(info.fcsLen * 8));
    this.endOptions(start, 16);
    this.blockEnd(start);
  }

  private enhancedPacket(src: WriterSource, m: Uint32Array, b: number, iface: number, data: Uint8Array, origLen: number): void {
    const s = this.sink;
    const t = this.ticks;
    const resol = this.resol[iface] ?? 6;
    if (m[b + Meta.Flags]! & FLAG_NO_TIMESTAMP) {
      t.hi = 0;
      t.lo = 0;
    } else {
      ticksOf(m[b + Meta.TsSecHi]!, m[b + Meta.TsSecLo]!, m[b + Meta.TsNsec]!, resol, t);
    }
    s.reserve(32 + data.length + 4);
    const start = this.blockStart(BT_EPB);
    s.u32(iface);
    s.u32(t.hi);
    s.u32(t.lo);
    s.u32(data.length);
    s.u32(origLen);
    s.bytes(data);
    s.pad4();
    const comments = src.frameComments?.get(m[b + Meta.Number]!);
    if (comments) {
      for (const c of comments) this.optString(OPT_COMMENT, c);
      s.u16(OPT_END);
      s.u16(0);
    }
    this.blockEnd(start);
  }

  /** The reader takes min(original length, padded data, interface 0's snaplen) as captured length. */
  private spbReadsBack(capLen: number, origLen: number): boolean {
    let got = Math.min(origLen, (capLen + 3) & ~3);
    if (this.snap0 > 0) got = Math.min(got, this.snap0);
    return got === capLen;
  }

  private simplePacket(data: Uint8Array, origLen: number): void {
    const s = this.sink;
    const start = this.blockStart(BT_SPB);
    s.u32(origLen);
    s.bytes(data);
    s.pad4();
    this.blockEnd(start);
  }

  /** Copies a custom block that may be copied (0x00000BAD); returns false if it was skipped. */
  private custom(src: WriterSource, frame: number, body: Uint8Array): boolean {
    const info = src.customBlocks?.get(frame);
    if (!info?.copyable) return false;
    const s = this.sink;
    const start = this.blockStart(BT_CUSTOM);
    s.u32(info.pen);
    s.bytes(body);
    s.pad4();
    this.blockEnd(start);
    return true;
  }

  private statistics(id: number, st: InterfaceStats, secs: number, nsec: number): void {
    const s = this.sink;
    const t = this.ticks;
    ticksOf(Math.floor(secs / TWO32), secs >>> 0, nsec, this.resol[id]!, t);
    const start = this.blockStart(BT_ISB);
    s.u32(id);
    s.u32(t.hi);
    s.u32(t.lo);
    const counters: [number, number | undefined][] = [
      [ISB_IFRECV, st.received],
      [ISB_IFDROP, st.dropped],
      [ISB_FILTERACCEPT, st.filterAccepted],
      [ISB_OSDROP, st.osDropped],
      [ISB_USRDELIV, st.delivered],
    ];
    for (const [code, v] of counters) {
      if (v === undefined) continue;
      s.u16(code);
      s.u16(8);
      s.u32(v % TWO32);
      s.u32(Math.floor(v / TWO32));
    }
    this.endOptions(start, 20);
    this.blockEnd(start);
  }

  private blockStart(type: number): number {
    const start = this.sink.len;
    this.sink.u32(type);
    this.sink.u32(0); // total length, patched by blockEnd
    return start;
  }

  private blockEnd(start: number): void {
    const s = this.sink;
    const len = s.len - start + 4;
    s.u32(len);
    s.patch32(start + 4, len);
  }

  /** opt_endofopt, if any option was written after the block's fixed part of `fixed` bytes. */
  private endOptions(start: number, fixed: number): void {
    if (this.sink.len > start + fixed) {
      this.sink.u16(OPT_END);
      this.sink.u16(0);
    }
  }

  private optString(code: number, v: string): void {
    this.optBytes(code, utf8.encode(v));
  }

  private optBytes(code: number, v: Uint8Array): void {
    const s = this.sink;
    const len = Math.min(v.length, 0xffff);
    s.u16(code);
    s.u16(len);
    s.bytes(len === v.length ? v : v.subarray(0, len));
    s.pad4();
  }
}
