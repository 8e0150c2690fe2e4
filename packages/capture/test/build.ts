/**
 * Test helper: writes pcap and pcapng files byte by byte, in either byte order, so tests can
 * cover every block type and corner without binary fixtures. Follows the pcapng spec
 * (draft-ietf-opsawg-pcapng) and the libpcap file format; no reader code is shared.
 */

export class Writer {
  private buf = new Uint8Array(256);
  private dv = new DataView(this.buf.buffer);
  length = 0;
  constructor(readonly le: boolean) {}

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf);
    this.buf = next;
    this.dv = new DataView(next.buffer);
  }
  u8(v: number): this {
    this.room(1);
    this.dv.setUint8(this.length, v);
    this.length += 1;
    return this;
  }
  u16(v: number): this {
    this.room(2);
    this.dv.setUint16(this.length, v, this.le);
    this.length += 2;
    return this;
  }
  u32(v: number): this {
    this.room(4);
    this.dv.setUint32(this.length, v >>> 0, this.le);
    this.length += 4;
    return this;
  }
  /** A 64-bit value as the pcapng spec lays out timestamps: high word first, each in byte order. */
  ts64(v: bigint): this {
    return this.u32(Number((v >> 32n) & 0xffffffffn)).u32(Number(v & 0xffffffffn));
  }
  /** A 64-bit option value in plain byte order (e.g. isb_ifrecv, if_tsoffset). */
  u64(v: bigint): this {
    this.room(8);
    this.dv.setBigUint64(this.length, BigInt.asUintN(64, v), this.le);
    this.length += 8;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }
  pad4(): this {
    while (this.length % 4) this.u8(0);
    return this;
  }
  done(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** `n` bytes of a recognisable pattern starting at `seed`. */
export function payload(n: number, seed = 0): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (seed + i * 7) & 0xff;
  return b;
}

export const text = (s: string) => new TextEncoder().encode(s);

// ---------------------------------------------------------------- pcap

export interface PcapRecord {
  sec: number;
  /** Microseconds, or nanoseconds in a nanosecond file. */
  frac: number;
  data: Uint8Array;
  origLen?: number;
  /** Written caplen, to fake corrupt headers (default data.length). */
  capLen?: number;
}

export function pcapHeader(o: { le?: boolean; nsec?: boolean; snaplen?: number; linkField?: number } = {}): Uint8Array {
  const w = new Writer(o.le ?? true);
  w.u32(o.nsec ? 0xa1b23c4d : 0xa1b2c3d4).u16(2).u16(4).u32(0).u32(0);
  return w.u32(o.snaplen ?? 65535).u32(o.linkField ?? 1).done();
}

export function pcapRecord(le: boolean, r: PcapRecord): Uint8Array {
  const w = new Writer(le);
  w.u32(r.sec).u32(r.frac).u32(r.capLen ?? r.data.length).u32(r.origLen ?? r.data.length);
  return w.bytes(r.data).done();
}

export function pcapFile(o: { le?: boolean; nsec?: boolean; snaplen?: number; linkField?: number; records: PcapRecord[] }): Uint8Array {
  return concat(pcapHeader(o), ...o.records.map((r) => pcapRecord(o.le ?? true, r)));
}

// ---------------------------------------------------------------- pcapng

export type Opt = [code: number, value: Uint8Array | string];

function options(w: Writer, opts: Opt[]): void {
  if (opts.length === 0) return;
  for (const [code, v] of opts) {
    const b = typeof v === 'string' ? text(v) : v;
    w.u16(code).u16(b.length).bytes(b).pad4();
  }
  w.u16(0).u16(0); // opt_endofopt
}

/** A whole block: type, length, body, options, trailing length (overridable to fake corruption). */
export function block(
  le: boolean,
  type: number,
  body: (w: Writer) => void,
  opts: Opt[] = [],
  fake: { length?: number; trailer?: number } = {},
): Uint8Array {
  const inner = new Writer(le);
  body(inner);
  inner.pad4();
  options(inner, opts);
  const b = inner.done();
  const len = b.length + 12;
  return new Writer(le)
    .u32(type)
    .u32(fake.length ?? len)
    .bytes(b)
    .u32(fake.trailer ?? fake.length ?? len)
    .done();
}

export function shb(le: boolean, opts: Opt[] = [], version: [number, number] = [1, 0]): Uint8Array {
  return block(le, 0x0a0d0d0a, (w) => w.u32(0x1a2b3c4d).u16(version[0]).u16(version[1]).u64(-1n), opts);
}

export function idb(le: boolean, linkType: number, snaplen: number, opts: Opt[] = []): Uint8Array {
  return block(le, 1, (w) => w.u16(linkType).u16(0).u32(snaplen), opts);
}

export function epb(le: boolean, iface: number, ts: bigint, data: Uint8Array, origLen = data.length, opts: Opt[] = []): Uint8Array {
  return block(le, 6, (w) => w.u32(iface).ts64(ts).u32(data.length).u32(origLen).bytes(data), opts);
}

/** Obsolete Packet Block (type 2): 16-bit interface id and drops count. */
export function pb(le: boolean, iface: number, ts: bigint, data: Uint8Array, origLen = data.length, opts: Opt[] = []): Uint8Array {
  return block(le, 2, (w) => w.u16(iface).u16(0).ts64(ts).u32(data.length).u32(origLen).bytes(data), opts);
}

export function spb(le: boolean, origLen: number, data: Uint8Array): Uint8Array {
  return block(le, 3, (w) => w.u32(origLen).bytes(data));
}

/** NRB with IPv4 ([1, 4 bytes, names]) / IPv6 ([2, 16 bytes, names]) records. */
export function nrb(le: boolean, records: [type: number, addr: number[], names: string[]][], opts: Opt[] = []): Uint8Array {
  return block(
    le,
    4,
    (w) => {
      for (const [type, addr, names] of records) {
        const v = concat(Uint8Array.from(addr), ...names.map((n) => concat(text(n), Uint8Array.of(0))));
        w.u16(type).u16(v.length).bytes(v).pad4();
      }
      w.u16(0).u16(0);
    },
    opts,
  );
}

export function isb(le: boolean, iface: number, ts: bigint, opts: Opt[] = []): Uint8Array {
  return block(le, 5, (w) => w.u32(iface).ts64(ts), opts);
}

export function dsb(le: boolean, type: number, data: Uint8Array): Uint8Array {
  return block(le, 0x0a, (w) => w.u32(type).u32(data.length).bytes(data));
}

export function custom(le: boolean, copyable: boolean, pen: number, data: Uint8Array): Uint8Array {
  return block(le, copyable ? 0xbad : 0x40000bad, (w) => w.u32(pen).bytes(data));
}

/** Option values. */
export const u8 = (v: number) => Uint8Array.of(v);
export const u64 = (le: boolean, v: bigint) => new Writer(le).u64(v).done();
