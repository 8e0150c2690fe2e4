/**
 * Classic pcap writer: one link type per file, microsecond magic unless some interface has finer
 * timestamps (then the nanosecond magic, so a round trip keeps every digit).
 */
import { FLAG_CUSTOM_BLOCK, Meta, META_WORDS, type FrameBatch } from './batch.js';
import { PCAP_MAGIC_NSEC, PCAP_MAGIC_USEC } from './pcap.js';
import type { InterfaceInfo } from './types.js';
import { ByteSink, CaptureWriteError, type CaptureEncoder, type WriterSource } from './writer.js';
import { DEFAULT_SNAPLEN_FOR_WRITERS, linkTypeName } from './link-types.js';

export class PcapEncoder implements CaptureEncoder {
  readonly format = 'pcap' as const;
  framesWritten = 0;
  lastFrames = 0;
  bytesWritten = 0;
  private readonly sink = new ByteSink();
  private linkType = -1;
  private nsec = false;

  header(src: WriterSource): Uint8Array {
    const first = src.interfaces[0];
    if (!first) throw new CaptureWriteError('link-type-mismatch', 'pcap needs a link type, and the source has no interface');
    checkPcapLinkTypes(src.interfaces);
    this.linkType = first.linkType;
    this.nsec = src.interfaces.some((i) => i.tsPrecision > 6);
    const snaplen = Math.max(...src.interfaces.map((i) => i.snaplen || DEFAULT_SNAPLEN_FOR_WRITERS));
    let field = first.linkType & 0xffff;
    // The FCS bits of the link-type field (what the reader exposes as fcsLen).
    if (first.fcsLen !== undefined) field |= 0x04000000 | (((first.fcsLen / 2) & 0xf) << 28);
    const s = this.sink;
    s.reset();
    s.u32(this.nsec ? PCAP_MAGIC_NSEC : PCAP_MAGIC_USEC);
    s.u16(2);
    s.u16(4);
    s.u32(0); // thiszone
    s.u32(0); // sigfigs
    s.u32(snaplen);
    s.u32(field);
    this.bytesWritten += s.len;
    return s.view();
  }

  encode(batch: FrameBatch, src: WriterSource, count = batch.count, stopAtBytes = Infinity): Uint8Array {
    const s = this.sink;
    s.reset();
    const m = batch.meta;
    let n = 0;
    for (let i = 0; i < count; i++) {
      const b = i * META_WORDS;
      n++;
      if (m[b + Meta.Flags]! & FLAG_CUSTOM_BLOCK) continue; // not a packet: pcap has no place for it
      const lt = m[b + Meta.LinkType]!;
      if (lt !== this.linkType) {
        const iface = src.interfaces[m[b + Meta.Interface]!];
        throw new CaptureWriteError(
          'link-type-mismatch',
          `frame ${m[b + Meta.Number]} is ${linkTypeName(lt)}${iface?.name ? ` (interface ${iface.name})` : ''}, but a pcap file holds one link type (${linkTypeName(this.linkType)}); write pcapng instead (-F pcapng)`,
        );
      }
      const capLen = m[b + Meta.CapLen]!;
      const off = m[b + Meta.DataOffset]!;
      const ns = m[b + Meta.TsNsec]!;
      s.reserve(16 + capLen);
      s.u32(m[b + Meta.TsSecLo]!);
      s.u32(this.nsec ? ns : Math.floor(ns / 1000));
      s.u32(capLen);
      s.u32(m[b + Meta.OrigLen]!);
      s.bytes(batch.data.subarray(off, off + capLen));
      this.framesWritten++;
      if (this.bytesWritten + s.len >= stopAtBytes) break;
    }
    this.lastFrames = n;
    this.bytesWritten += s.len;
    return s.view();
  }

  trailer(): Uint8Array {
    return new Uint8Array(0);
  }
}

/** Throws unless every interface has the same link type (all a pcap file can say). */
export function checkPcapLinkTypes(interfaces: readonly InterfaceInfo[]): void {
  const first = interfaces[0];
  if (!first) return;
  const other = interfaces.find((i) => i.linkType !== first.linkType);
  if (!other) return;
  const describe = (i: InterfaceInfo) => `${i.name ?? `interface ${i.id}`} is ${linkTypeName(i.linkType)}`;
  throw new CaptureWriteError(
    'link-type-mismatch',
    `a pcap file holds one link type, but ${describe(first)} and ${describe(other)}; write pcapng instead (-F pcapng)`,
  );
}
