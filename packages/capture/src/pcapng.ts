/**
 * Incremental pcapng reader (any number of sections, each with its own byte order).
 * Platform-neutral: fed Uint8Array chunks, writes frames into the context's BatchBuilder.
 */
import { FLAG_CUSTOM_BLOCK, FLAG_NO_TIMESTAMP, INTERFACE_NONE, LINKTYPE_NONE } from './batch.js';
import {
  CaptureFormatError,
  MAX_BLOCK_BYTES,
  MAX_CAPLEN,
  truncationWarning,
  type CaptureErrorCode,
  type TruncationWarning,
} from './errors.js';
import { RecordStream } from './framing.js';
import { OPT_COMMENT, forEachOption, optHalves, optString, optU64, readNameRecords } from './pcapng-options.js';
import { TickConverter, secondsOf, type TimeOut } from './timestamp.js';
import type { InterfaceInfo, InterfaceStats, ParseContext, SectionInfo } from './types.js';

export const BT_SHB = 0x0a0d0d0a;
export const BT_IDB = 1;
export const BT_PB = 2; // obsolete Packet Block
export const BT_SPB = 3;
export const BT_NRB = 4;
export const BT_ISB = 5;
export const BT_EPB = 6;
export const BT_DSB = 0x0a;
export const BT_CUSTOM = 0x00000bad;
export const BT_CUSTOM_NOCOPY = 0x40000bad;
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** Type + length + the SHB's byte-order magic: enough to size any block (all are >= 12 bytes). */
const BLOCK_HEAD = 12;
/** EPB/PB fixed part up to the captured length field included. */
const PACKET_FIXED = 28;

/** Per-interface state a packet block needs, resolved once at the IDB. */
interface Iface {
  info: InterfaceInfo;
  conv: TickConverter;
  flags: number;
}

export class PcapngParser extends RecordStream {
  /** Byte order of the current section. */
  private le = true;
  /** Interfaces of the current section, by local id. */
  private ifaces: Iface[] = [];
  private readonly ts: TimeOut = { secLo: 0, secHi: 0, nsec: 0 };

  constructor(private readonly ctx: ParseContext) {
    super();
  }

  protected need(_b: Uint8Array, dv: DataView, pos: number, avail: number): number {
    if (avail < BLOCK_HEAD) return BLOCK_HEAD;
    const le = this.blockOrder(dv, pos);
    const type = dv.getUint32(pos, le);
    const len = dv.getUint32(pos + 4, le);
    const isPacket = type === BT_EPB || type === BT_PB || type === BT_SPB;
    if (len % 4 !== 0 || len < 12) {
      const why = len % 4 !== 0 ? 'is not a multiple of 4' : 'is less than 12';
      this.fail('bad-block-length', `block length ${len} ${why}`, isPacket);
    }
    if (len > MAX_BLOCK_BYTES) this.fail('block-too-large', `block length ${len} exceeds the maximum of ${MAX_BLOCK_BYTES}`, isPacket);
    if (type === BT_EPB || type === BT_PB) {
      if (len < PACKET_FIXED + 4) this.fail('bad-block', `packet block length ${len} is too short`, true);
      if (avail < PACKET_FIXED) return PACKET_FIXED;
      const capLen = dv.getUint32(pos + 20, le);
      if (capLen > MAX_CAPLEN) this.fail('bad-caplen', `captured length ${capLen} exceeds the maximum of ${MAX_CAPLEN}`, true);
      if (PACKET_FIXED + 4 + pad4(capLen) > len) this.fail('bad-caplen', `captured length ${capLen} does not fit in a block of ${len} bytes`, true);
    } else if (type === BT_SPB) {
      if (len < 16) this.fail('bad-block', `simple packet block length ${len} is too short`, true);
      const capLen = this.spbCapLen(dv.getUint32(pos + 8, le), len);
      if (capLen > MAX_CAPLEN) this.fail('bad-caplen', `captured length ${capLen} exceeds the maximum of ${MAX_CAPLEN}`, true);
    }
    return len;
  }

  protected consume(b: Uint8Array, dv: DataView, pos: number, len: number): void {
    const le = this.blockOrder(dv, pos);
    const type = dv.getUint32(pos, le);
    const trailer = dv.getUint32(pos + len - 4, le);
    if (trailer !== len) {
      const isPacket = type === BT_EPB || type === BT_PB || type === BT_SPB;
      this.fail('bad-block-length', `trailing block length ${trailer} does not match the block length ${len}`, isPacket);
    }
    const end = pos + len - 4; // options / body end
    switch (type) {
      case BT_EPB:
        this.packet(b, dv, pos, end, dv.getUint32(pos + 8, le));
        break;
      case BT_PB:
        this.packet(b, dv, pos, end, dv.getUint16(pos + 8, le));
        break;
      case BT_SPB:
        this.simplePacket(b, dv, pos, len);
        break;
      case BT_SHB:
        this.section(b, dv, pos, end, le);
        break;
      case BT_IDB:
        this.interface(b, dv, pos, end);
        break;
      case BT_NRB:
        readNameRecords(b, dv, pos + 8, end, le, this.ctx.info.names);
        break;
      case BT_ISB:
        this.statistics(dv, pos, end);
        break;
      case BT_DSB:
        this.secrets(b, dv, pos, end);
        break;
      case BT_CUSTOM:
      case BT_CUSTOM_NOCOPY:
        if (this.ctx.customBlocksAsFrames) this.custom(b, dv, pos, end, type === BT_CUSTOM);
        break;
      default:
      // Unknown and other known-but-unused blocks (e.g. systemd journal) are skipped.
    }
  }

  /** The SHB's own byte-order magic decides its order; other blocks use the section's. */
  private blockOrder(dv: DataView, pos: number): boolean {
    if (dv.getUint32(pos, true) !== BT_SHB) return this.le;
    const bom = dv.getUint32(pos + 8, true);
    if (bom === BYTE_ORDER_MAGIC) return true;
    if (bom === 0x4d3c2b1a) return false;
    const hex = bom.toString(16).padStart(8, '0');
    return this.fail('bad-byte-order', `section header with unknown byte-order magic 0x${hex}`, false);
  }

  private fail(code: CaptureErrorCode, what: string, isPacket: boolean): never {
    const frame = isPacket ? this.ctx.builder.nextNumber : undefined;
    const where = `byte offset ${this.offset}${frame === undefined ? '' : ` (frame ${frame})`}`;
    throw new CaptureFormatError(code, this.ctx.name, this.offset, `corrupt pcapng block at ${where}: ${what}`, frame);
  }

  private iface(local: number): Iface {
    const f = this.ifaces[local];
    if (f) return f;
    return this.fail('unknown-interface', `packet on interface ${local}, but the section has ${this.ifaces.length}`, true);
  }

  /** SPB: interface 0's snaplen and the block size both bound the captured length. */
  private spbCapLen(origLen: number, len: number): number {
    const snap = this.ifaces[0]?.info.snaplen ?? 0;
    let cap = Math.min(origLen, len - 16);
    if (snap > 0) cap = Math.min(cap, snap);
    return cap;
  }

  /** EPB and obsolete PB share the layout after the interface id. */
  private packet(b: Uint8Array, dv: DataView, pos: number, end: number, local: number): void {
    const f = this.iface(local);
    const le = this.le;
    const capLen = dv.getUint32(pos + 20, le);
    const origLen = dv.getUint32(pos + 24, le);
    const t = this.ts;
    f.conv.convert(dv.getUint32(pos + 12, le), dv.getUint32(pos + 16, le), t);
    const { linkType, id } = f.info;
    const n = this.ctx.builder.add(b, pos + PACKET_FIXED, capLen, origLen, t.secLo, t.secHi, t.nsec, linkType, id, f.flags, this.offset);
    const opts = pos + PACKET_FIXED + pad4(capLen);
    if (opts + 4 <= end) this.frameComments(b, dv, opts, end, n);
  }

  private simplePacket(b: Uint8Array, dv: DataView, pos: number, len: number): void {
    const f = this.iface(0);
    const origLen = dv.getUint32(pos + 8, this.le);
    const capLen = this.spbCapLen(origLen, len);
    const { linkType, id } = f.info;
    this.ctx.builder.add(b, pos + 12, capLen, origLen, 0, 0, 0, linkType, id, f.flags | FLAG_NO_TIMESTAMP, this.offset);
  }

  private custom(b: Uint8Array, dv: DataView, pos: number, end: number, copyable: boolean): void {
    if (end < pos + 12) return; // no room for the PEN: nothing to show
    const pen = dv.getUint32(pos + 8, this.le);
    const size = end - (pos + 12);
    const flags = FLAG_CUSTOM_BLOCK | FLAG_NO_TIMESTAMP;
    const n = this.ctx.builder.add(b, pos + 12, size, size, 0, 0, 0, LINKTYPE_NONE, INTERFACE_NONE, flags, this.offset);
    this.ctx.info.customBlocks.set(n, { pen, copyable });
  }

  private frameComments(b: Uint8Array, dv: DataView, start: number, end: number, frame: number): void {
    let list: string[] | undefined;
    forEachOption(dv, start, end, this.le, (o) => {
      if (o.code === OPT_COMMENT) (list ??= []).push(optString(b, o.off, o.len));
    });
    if (list) this.ctx.info.frameComments.set(frame, list);
  }

  private section(b: Uint8Array, dv: DataView, pos: number, end: number, le: boolean): void {
    if (end - pos < 24) this.fail('bad-block', 'section header block is too short', false);
    const major = dv.getUint16(pos + 12, le);
    const minor = dv.getUint16(pos + 14, le);
    if (major !== 1) this.fail('unsupported-version', `unsupported pcapng version ${major}.${minor}`, false);
    this.le = le;
    this.ifaces = [];
    const s: SectionInfo = { byteOrder: le ? 'le' : 'be', versionMajor: major, versionMinor: minor, offset: this.offset, comments: [] };
    forEachOption(dv, pos + 24, end, le, (o) => {
      const v = optString(b, o.off, o.len);
      if (o.code === OPT_COMMENT) s.comments.push(v);
      else if (o.code === 2) s.hardware = v;
      else if (o.code === 3) s.os = v;
      else if (o.code === 4) s.userAppl = v;
    });
    this.ctx.info.sections.push(s);
  }

  private interface(b: Uint8Array, dv: DataView, pos: number, end: number): void {
    if (end - pos < 16) this.fail('bad-block', 'interface description block is too short', false);
    const le = this.le;
    const info: InterfaceInfo = {
      id: this.ctx.info.interfaces.length,
      section: this.ctx.info.sections.length - 1,
      localId: this.ifaces.length,
      linkType: dv.getUint16(pos + 8, le),
      snaplen: dv.getUint32(pos + 12, le),
      tsPrecision: 6,
      tsResol: 6,
      tsOffset: 0,
      comments: [],
    };
    let offHi = 0;
    let offLo = 0;
    forEachOption(dv, pos + 16, end, le, (o) => {
      switch (o.code) {
        case OPT_COMMENT:
          info.comments.push(optString(b, o.off, o.len));
          break;
        case 2:
          info.name = optString(b, o.off, o.len);
          break;
        case 3:
          info.description = optString(b, o.off, o.len);
          break;
        case 9:
          if (o.len >= 1) info.tsResol = b[o.off]!;
          break;
        case 11:
          // First byte = filter type; 0 is a libpcap filter string (1 = BPF program, not kept).
          if (o.len >= 1 && b[o.off] === 0) info.filter = optString(b, o.off + 1, o.len - 1);
          break;
        case 14:
          if (o.len >= 8) {
            [offHi, offLo] = optHalves(dv, o.off, le);
            info.tsOffset = secondsOf(offHi, offLo);
          }
          break;
      }
    });
    const conv = new TickConverter(info.tsResol, offHi, offLo);
    info.tsPrecision = conv.digits;
    this.ctx.info.interfaces.push(info);
    this.ifaces.push({ info, conv, flags: conv.digits });
  }

  private statistics(dv: DataView, pos: number, end: number): void {
    if (end - pos < 20) return;
    const f = this.ifaces[dv.getUint32(pos + 8, this.le)];
    if (!f) return;
    const stats: InterfaceStats = {};
    const keys: Record<number, keyof InterfaceStats> = { 4: 'received', 5: 'dropped', 6: 'filterAccepted', 7: 'osDropped', 8: 'delivered' };
    forEachOption(dv, pos + 20, end, this.le, (o) => {
      const k = keys[o.code];
      if (k && o.len >= 8) stats[k] = optU64(dv, o.off, this.le);
    });
    f.info.stats = stats;
  }

  private secrets(b: Uint8Array, dv: DataView, pos: number, end: number): void {
    if (end - pos < 16) this.fail('bad-block', 'decryption secrets block is too short', false);
    const type = dv.getUint32(pos + 8, this.le);
    const size = dv.getUint32(pos + 12, this.le);
    if (pos + 16 + size > end) this.fail('bad-block', `decryption secrets length ${size} does not fit in the block`, false);
    // slice: a copy, since the chunk may be reused.
    const data = b.slice(pos + 16, pos + 16 + size);
    this.ctx.info.secrets.push({ type, data, beforeFrame: this.ctx.builder.nextNumber });
  }

  /** At end of input: a warning if a block was cut short. */
  end(): TruncationWarning | undefined {
    const n = this.partialBytes;
    if (n === 0) return undefined;
    let packet = false;
    if (n >= 4) {
      const t = this.partial.dv.getUint32(0, this.le);
      const custom = t === BT_CUSTOM || t === BT_CUSTOM_NOCOPY;
      packet = t === BT_EPB || t === BT_PB || t === BT_SPB || (custom && this.ctx.customBlocksAsFrames);
    }
    return truncationWarning(this.ctx.name, this.ctx.builder.nextNumber, this.offset, packet);
  }
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}
