/**
 * pcapng option lists and Name Resolution records: TLV walking and value decoding.
 * Malformed options end the walk quietly rather than failing the file: they never affect framing.
 */
import type { NameRecord } from './types.js';

export const OPT_ENDOFOPT = 0;
export const OPT_COMMENT = 1;

/** An option's code and value position; the walker's single reused result. */
export interface Opt {
  code: number;
  off: number;
  len: number;
}

/** Calls `fn` for each option in [start, end). */
export function forEachOption(dv: DataView, start: number, end: number, le: boolean, fn: (o: Opt) => void): void {
  const o: Opt = { code: 0, off: 0, len: 0 };
  let p = start;
  while (p + 4 <= end) {
    o.code = dv.getUint16(p, le);
    o.len = dv.getUint16(p + 2, le);
    o.off = p + 4;
    if (o.code === OPT_ENDOFOPT || o.off + o.len > end) return;
    fn(o);
    p = o.off + ((o.len + 3) & ~3);
  }
}

const utf8 = new TextDecoder('utf-8');

/** UTF-8 option text; writers disagree on a trailing NUL, so drop any. */
export function optString(b: Uint8Array, off: number, len: number): string {
  let n = len;
  while (n > 0 && b[off + n - 1] === 0) n--;
  return utf8.decode(b.subarray(off, off + n));
}

const TWO32 = 4294967296;

/** An unsigned 64-bit option value as a number (exact below 2^53). */
export function optU64(dv: DataView, off: number, le: boolean): number {
  const a = dv.getUint32(off, le);
  const c = dv.getUint32(off + 4, le);
  return le ? c * TWO32 + a : a * TWO32 + c;
}

/** The (hi, lo) halves of a 64-bit option value, in the section's byte order. */
export function optHalves(dv: DataView, off: number, le: boolean): [hi: number, lo: number] {
  const a = dv.getUint32(off, le);
  const c = dv.getUint32(off + 4, le);
  return le ? [c, a] : [a, c];
}

function ipv4(b: Uint8Array, off: number): string {
  return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
}

function ipv6(dv: DataView, off: number): string {
  const groups: string[] = [];
  for (let i = 0; i < 8; i++) groups.push(dv.getUint16(off + 2 * i, false).toString(16));
  // Compress the longest run of zero groups, as RFC 5952 says.
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  if (bestAt < 0) return groups.join(':');
  return `${groups.slice(0, bestAt).join(':')}::${groups.slice(bestAt + bestLen).join(':')}`;
}

/** NUL-separated names after the address. */
function names(b: Uint8Array, off: number, end: number): string[] {
  const out: string[] = [];
  let s = off;
  for (let i = off; i <= end; i++) {
    if (i === end || b[i] === 0) {
      if (i > s) out.push(utf8.decode(b.subarray(s, i)));
      s = i + 1;
    }
  }
  return out;
}

/** Walks NRB records from `start`; returns where the options begin. */
export function readNameRecords(
  b: Uint8Array,
  dv: DataView,
  start: number,
  end: number,
  le: boolean,
  out: NameRecord[],
): number {
  let p = start;
  while (p + 4 <= end) {
    const type = dv.getUint16(p, le);
    const len = dv.getUint16(p + 2, le);
    const v = p + 4;
    if (type === 0) return v; // nrb_record_end
    if (v + len > end) return end;
    if (type === 1 && len >= 4) out.push({ type: 'ipv4', address: ipv4(b, v), names: names(b, v + 4, v + len) });
    else if (type === 2 && len >= 16) out.push({ type: 'ipv6', address: ipv6(dv, v), names: names(b, v + 16, v + len) });
    p = v + ((len + 3) & ~3);
  }
  return end;
}
