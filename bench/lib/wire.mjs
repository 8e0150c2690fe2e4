// Packet encoding for the capture generator: a classic pcap (usec, Ethernet) written through one
// large reusable buffer, and Ethernet / IPv4 / IPv6 / TCP / UDP / ARP headers built in place.
// Lengths and checksums are exact, so tshark, tcpdump and Reef read the file as real traffic.

export const LINKTYPE_ETHERNET = 1;
const SNAPLEN = 262144;
const RECORD_HEADER = 16;
/** Room for the largest frame the generator builds (Ethernet + IPv6 + TCP with options + MSS). */
const MAX_FRAME = 2048;

export const ETH_IPV4 = 0x0800;
export const ETH_IPV6 = 0x86dd;
export const ETH_ARP = 0x0806;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;

export const FIN = 0x01;
export const SYN = 0x02;
export const RST = 0x04;
export const PSH = 0x08;
export const ACK = 0x10;

/**
 * The pcap being written: a record header, then the frame, built straight into `buf`; the buffer
 * goes to `sink` whenever it is nearly full, so memory stays fixed whatever the packet count.
 */
export class PcapOut {
  /**
   * @param {(chunk: Buffer) => void} sink receives each full buffer (the buffer is reused after)
   * @param {number} startSec capture start, seconds since the epoch
   */
  constructor(sink, startSec, bufBytes = 8 << 20) {
    this.sink = sink;
    this.buf = Buffer.allocUnsafe(bufBytes);
    this.pos = 0;
    this.sec = startSec;
    this.usec = 0;
    this.packets = 0;
    this.bytes = 0;
    const h = this.buf;
    h.writeUInt32LE(0xa1b2c3d4, 0); // microsecond timestamps
    h.writeUInt16LE(2, 4);
    h.writeUInt16LE(4, 6);
    h.writeInt32LE(0, 8);
    h.writeUInt32LE(0, 12);
    h.writeUInt32LE(SNAPLEN, 16);
    h.writeUInt32LE(LINKTYPE_ETHERNET, 20);
    this.pos = 24;
  }

  /** Moves the capture clock forward (at least 1 usec, so timestamps strictly increase). */
  advance(us) {
    let u = this.usec + Math.max(1, Math.floor(us));
    if (u >= 1_000_000) {
      this.sec += Math.floor(u / 1_000_000);
      u %= 1_000_000;
    }
    this.usec = u;
  }

  /** Offset where the next frame's bytes go; room for one frame is guaranteed. */
  begin() {
    if (this.pos + RECORD_HEADER + MAX_FRAME > this.buf.length) this.flush();
    return this.pos + RECORD_HEADER;
  }

  /** Seals the frame started by begin() with the current timestamp. */
  commit(frameLen) {
    const b = this.buf;
    const p = this.pos;
    b.writeUInt32LE(this.sec, p);
    b.writeUInt32LE(this.usec, p + 4);
    b.writeUInt32LE(frameLen, p + 8);
    b.writeUInt32LE(frameLen, p + 12);
    this.pos = p + RECORD_HEADER + frameLen;
    this.packets++;
    this.bytes += RECORD_HEADER + frameLen;
  }

  flush() {
    if (this.pos > 0) this.sink(this.buf.subarray(0, this.pos));
    this.pos = 0;
  }
}

/**
 * A machine as seen from the capture point: its address and the MAC its frames carry on this
 * LAN (the router's for remote hosts).
 */
export class Host {
  /** @param {Buffer} mac 6 bytes @param {Buffer} ip 4 or 16 bytes */
  constructor(mac, ip) {
    this.mac = mac;
    this.ip = ip;
    this.v6 = ip.length === 16;
  }
}

export function mac(bytes) {
  return Buffer.from(bytes);
}

export function ipv4(a, b, c, d) {
  return Buffer.from([a, b, c, d]);
}

/** An IPv6 address from 8 groups. */
export function ipv6(groups) {
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(g, i * 2));
  return b;
}

/** One's-complement sum of b[start, end) as big-endian 16-bit words, added to acc. */
function sum16(b, start, end, acc) {
  let i = start;
  for (; i + 1 < end; i += 2) acc += (b[i] << 8) | b[i + 1];
  if (i < end) acc += b[i] << 8;
  return acc;
}

function fold(acc) {
  while (acc > 0xffff) acc = (acc & 0xffff) + Math.floor(acc / 65536);
  return ~acc & 0xffff;
}

/** Ethernet + IP headers at `at`; returns the offset of the transport header. */
function ipHeaders(b, at, src, dst, proto, l4Len, ttl, ipId) {
  src.mac.copy(b, at + 6);
  dst.mac.copy(b, at);
  if (src.v6) {
    b.writeUInt16BE(ETH_IPV6, at + 12);
    const ip = at + 14;
    b.writeUInt32BE(0x60000000 | (ipId & 0xfffff), ip); // the flow label stands in for the IP ID
    b.writeUInt16BE(l4Len, ip + 4);
    b[ip + 6] = proto;
    b[ip + 7] = ttl;
    src.ip.copy(b, ip + 8);
    dst.ip.copy(b, ip + 24);
    return ip + 40;
  }
  b.writeUInt16BE(ETH_IPV4, at + 12);
  const ip = at + 14;
  b[ip] = 0x45;
  b[ip + 1] = 0;
  b.writeUInt16BE(20 + l4Len, ip + 2);
  b.writeUInt16BE(ipId & 0xffff, ip + 4);
  b.writeUInt16BE(0x4000, ip + 6); // don't fragment
  b[ip + 8] = ttl;
  b[ip + 9] = proto;
  b.writeUInt16BE(0, ip + 10);
  src.ip.copy(b, ip + 12);
  dst.ip.copy(b, ip + 16);
  b.writeUInt16BE(fold(sum16(b, ip, ip + 20, 0)), ip + 10);
  return ip + 20;
}

/** Transport checksum over the pseudo-header and the segment at [l4, l4 + l4Len). */
function l4Checksum(b, src, dst, proto, l4, l4Len) {
  let acc = sum16(src.ip, 0, src.ip.length, 0);
  acc = sum16(dst.ip, 0, dst.ip.length, acc);
  acc += proto + (l4Len & 0xffff) + Math.floor(l4Len / 65536);
  return fold(sum16(b, l4, l4 + l4Len, acc));
}

/**
 * Copies `len` bytes starting at `off` of a message held as consecutive parts (headers, body
 * slices, chunk framing) to b[at...]: segments are cut from messages without joining them.
 * @param {Buffer[]} parts
 */
function copyParts(parts, off, len, b, at) {
  for (const p of parts) {
    if (len === 0) return;
    if (off >= p.length) {
      off -= p.length;
      continue;
    }
    const n = Math.min(len, p.length - off);
    p.copy(b, at, off, off + n);
    at += n;
    len -= n;
    off = 0;
  }
}

/**
 * One TCP segment from `src` to `dst`.
 * @param {PcapOut} out
 * @param {{src: Host, dst: Host, sport: number, dport: number, ttl: number, ipId: number, win: number}} e
 * @param {Buffer | null} options TCP options, a multiple of 4 bytes
 * @param {Buffer[]} parts payload message, of which [off, off + len) is sent
 */
export function writeTcp(out, e, flags, seq, ack, options, parts, off, len) {
  const b = out.buf;
  const at = out.begin();
  const optLen = options ? options.length : 0;
  const l4Len = 20 + optLen + len;
  const t = ipHeaders(b, at, e.src, e.dst, PROTO_TCP, l4Len, e.ttl, e.ipId);
  b.writeUInt16BE(e.sport, t);
  b.writeUInt16BE(e.dport, t + 2);
  b.writeUInt32BE(seq >>> 0, t + 4);
  b.writeUInt32BE(flags & ACK ? ack >>> 0 : 0, t + 8);
  b[t + 12] = ((20 + optLen) / 4) << 4;
  b[t + 13] = flags;
  b.writeUInt16BE(e.win, t + 14);
  b.writeUInt32BE(0, t + 16); // checksum, urgent pointer
  if (options) options.copy(b, t + 20);
  if (len > 0) copyParts(parts, off, len, b, t + 20 + optLen);
  b.writeUInt16BE(l4Checksum(b, e.src, e.dst, PROTO_TCP, t, l4Len), t + 16);
  out.commit(t + l4Len - at);
}

/** One UDP datagram carrying all of `payload[0, len)`. */
export function writeUdp(out, src, dst, sport, dport, ttl, ipId, payload, len) {
  const b = out.buf;
  const at = out.begin();
  const l4Len = 8 + len;
  const u = ipHeaders(b, at, src, dst, PROTO_UDP, l4Len, ttl, ipId);
  b.writeUInt16BE(sport, u);
  b.writeUInt16BE(dport, u + 2);
  b.writeUInt16BE(l4Len, u + 4);
  b.writeUInt16BE(0, u + 6);
  payload.copy(b, u + 8, 0, len);
  b.writeUInt16BE(l4Checksum(b, src, dst, PROTO_UDP, u, l4Len) || 0xffff, u + 6);
  out.commit(u + l4Len - at);
}

const BROADCAST = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

/** An ARP request (`target` unknown, broadcast) or reply (`target` = the asker). */
export function writeArp(out, sender, target, reply) {
  const b = out.buf;
  const at = out.begin();
  (reply ? target.mac : BROADCAST).copy(b, at);
  sender.mac.copy(b, at + 6);
  b.writeUInt16BE(ETH_ARP, at + 12);
  const a = at + 14;
  b.writeUInt16BE(1, a); // Ethernet
  b.writeUInt16BE(ETH_IPV4, a + 2);
  b[a + 4] = 6;
  b[a + 5] = 4;
  b.writeUInt16BE(reply ? 2 : 1, a + 6);
  sender.mac.copy(b, a + 8);
  sender.ip.copy(b, a + 14);
  if (reply) target.mac.copy(b, a + 18);
  else b.fill(0, a + 18, a + 24);
  target.ip.copy(b, a + 24);
  out.commit(42);
}
