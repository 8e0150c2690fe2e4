/**
 * Incremental reader of classic libpcap files (usec magic a1b2c3d4, nsec a1b23c4d, either byte
 * order). Platform-neutral: fed Uint8Array chunks, writes frames into the context's BatchBuilder.
 */
import { CaptureFormatError, MAX_CAPLEN, truncationWarning, type TruncationWarning } from './errors.js';
import { RecordStream } from './framing.js';
import type { InterfaceInfo, ParseContext } from './types.js';

export const PCAP_MAGIC_USEC = 0xa1b2c3d4;
export const PCAP_MAGIC_NSEC = 0xa1b23c4d;
const FILE_HEADER = 24;
const RECORD_HEADER = 16;

export class PcapParser extends RecordStream {
  private le = true;
  private nsec = false;
  private headerDone = false;
  private snaplen = 0;
  private linkType = 0;
  private flags = 6;

  constructor(private readonly ctx: ParseContext) {
    super();
  }

  protected need(_b: Uint8Array, dv: DataView, pos: number, avail: number): number {
    if (!this.headerDone) return FILE_HEADER;
    if (avail < RECORD_HEADER) return RECORD_HEADER;
    const capLen = dv.getUint32(pos + 8, this.le);
    this.checkCapLen(capLen);
    return RECORD_HEADER + capLen;
  }

  protected consume(b: Uint8Array, dv: DataView, pos: number, len: number): void {
    if (!this.headerDone) {
      this.header(dv, pos);
      return;
    }
    const le = this.le;
    let sec = dv.getUint32(pos, le);
    let frac = dv.getUint32(pos + 4, le);
    // Out-of-range fractions exist in the wild; carry them into seconds so nsec stays < 1e9.
    const unit = this.nsec ? 1e9 : 1e6;
    if (frac >= unit) {
      sec = (sec + Math.floor(frac / unit)) >>> 0;
      frac %= unit;
    }
    const nsec = this.nsec ? frac : frac * 1000;
    const origLen = dv.getUint32(pos + 12, le);
    const capLen = len - RECORD_HEADER;
    this.ctx.builder.add(b, pos + RECORD_HEADER, capLen, origLen, sec, 0, nsec, this.linkType, 0, this.flags, this.offset);
  }

  private header(dv: DataView, pos: number): void {
    const magicLe = dv.getUint32(pos, true);
    const magicBe = dv.getUint32(pos, false);
    this.le = magicLe === PCAP_MAGIC_USEC || magicLe === PCAP_MAGIC_NSEC;
    const magic = this.le ? magicLe : magicBe;
    this.nsec = magic === PCAP_MAGIC_NSEC;
    this.flags = this.nsec ? 9 : 6;
    this.snaplen = dv.getUint32(pos + 16, this.le);
    const field = dv.getUint32(pos + 20, this.le);
    // Low 16 bits: LINKTYPE_*; bits 26 and 28-31 say whether and how much FCS each frame carries.
    this.linkType = field & 0xffff;
    const iface: InterfaceInfo = {
      id: 0,
      section: 0,
      localId: 0,
      linkType: this.linkType,
      snaplen: this.snaplen,
      tsPrecision: this.flags,
      tsResol: this.flags,
      tsOffset: 0,
      comments: [],
    };
    if (field & 0x04000000) iface.fcsLen = ((field >>> 28) & 0xf) * 2;
    this.ctx.info.interfaces.push(iface);
    this.headerDone = true;
  }

  /**
   * libpcap writes caplen <= snaplen, so a larger one means a corrupt header (unless the snaplen
   * itself is implausibly large or 0). Checked before waiting for the record's bytes.
   */
  private checkCapLen(capLen: number): void {
    const limit = this.snaplen > 0 && this.snaplen <= MAX_CAPLEN ? this.snaplen : MAX_CAPLEN;
    if (capLen <= limit) return;
    const frame = this.ctx.builder.nextNumber;
    const what = limit === MAX_CAPLEN ? `the maximum of ${MAX_CAPLEN}` : `the file's snapshot length ${limit}`;
    throw new CaptureFormatError(
      'bad-caplen',
      this.ctx.name,
      this.offset,
      `corrupt pcap record at byte offset ${this.offset} (frame ${frame}): captured length ${capLen} exceeds ${what}`,
      frame,
    );
  }

  /** At end of input: a warning if a record (or the file header) was cut short. */
  end(): TruncationWarning | undefined {
    if (this.partialBytes === 0) return undefined;
    if (!this.headerDone) {
      return {
        frame: 1,
        offset: 0,
        message: `${this.ctx.name}: file appears to be cut short in the middle of the file header (${this.partialBytes} of ${FILE_HEADER} bytes)`,
      };
    }
    return truncationWarning(this.ctx.name, this.ctx.builder.nextNumber, this.offset);
  }
}
