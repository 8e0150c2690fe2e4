/**
 * Exact 64-bit timestamp arithmetic in doubles, without BigInt (one BigInt per packet would
 * dominate the per-frame cost). Values are (hi, lo) pairs of unsigned 32-bit halves.
 */

const TWO16 = 65536;
const TWO32 = 4294967296;

/** Result slots of the conversions below; reused to avoid an object per packet. */
export interface TimeOut {
  secLo: number;
  secHi: number;
  nsec: number;
}

/** Scratch for divmod64: quotient halves and remainder. */
const q = { hi: 0, lo: 0, rem: 0 };

/** One base-2^16 long-division step; `cur` < d * 2^16 <= 2^53, so it is exact. */
function step(cur: number, d: number): number {
  let digit = Math.floor(cur / d);
  // The division is rounded; fix an off-by-one at the edge.
  let r = cur - digit * d;
  if (r < 0) {
    digit--;
    r += d;
  } else if (r >= d) {
    digit++;
    r -= d;
  }
  q.rem = r;
  return digit;
}

/** (hi:lo) / d for 1 <= d < 2^37, into `q`. Four 16-bit limbs, each step exact in a double. */
function divmod64(hi: number, lo: number, d: number): void {
  const d3 = step(hi >>> 16, d);
  const d2 = step(q.rem * TWO16 + (hi & 0xffff), d);
  const d1 = step(q.rem * TWO16 + (lo >>> 16), d);
  const d0 = step(q.rem * TWO16 + (lo & 0xffff), d);
  q.hi = d3 * TWO16 + d2;
  q.lo = d1 * TWO16 + d0;
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/**
 * Converts pcapng ticks to (sec, nsec) for one interface's if_tsresol and if_tsoffset.
 * Sub-nanosecond resolutions are truncated (floor), as Wireshark does.
 */
export class TickConverter {
  /** Precision in decimal digits for the flags word. */
  readonly digits: number;
  private readonly binary: boolean;
  private readonly exp: number;
  private readonly offHi: number;
  private readonly offLo: number;

  /** @param tsresol the if_tsresol byte (default 6); @param offHi/offLo if_tsoffset seconds (signed 64-bit). */
  constructor(tsresol = 6, offHi = 0, offLo = 0) {
    this.binary = (tsresol & 0x80) !== 0;
    this.exp = tsresol & 0x7f;
    this.digits = this.binary ? binaryDigits(this.exp) : Math.min(this.exp, 9);
    this.offHi = offHi >>> 0;
    this.offLo = offLo >>> 0;
  }

  convert(hi: number, lo: number, out: TimeOut): void {
    const e = this.exp;
    if (this.binary) {
      binaryTicks(hi, lo, e, out);
    } else if (e <= 9) {
      divmod64(hi, lo, POW10[e]!);
      out.secHi = q.hi;
      out.secLo = q.lo;
      out.nsec = q.rem * POW10[9 - e]!;
    } else {
      // Scale down to nanoseconds first (floor of floors = floor), then split at 1e9.
      let h = hi;
      let l = lo;
      for (let k = e - 9; k > 0 && (h !== 0 || l !== 0); k -= 9) {
        divmod64(h, l, POW10[Math.min(k, 9)]!);
        h = q.hi;
        l = q.lo;
      }
      divmod64(h, l, 1e9);
      out.secHi = q.hi;
      out.secLo = q.lo;
      out.nsec = q.rem;
    }
    if (this.offHi !== 0 || this.offLo !== 0) addSeconds(out, this.offHi, this.offLo);
  }
}

/** Adds signed 64-bit seconds (two's complement halves), wrapping like int64. */
export function addSeconds(out: TimeOut, offHi: number, offLo: number): void {
  let lo = out.secLo + offLo;
  let carry = 0;
  if (lo >= TWO32) {
    lo -= TWO32;
    carry = 1;
  }
  out.secLo = lo;
  out.secHi = (out.secHi + offHi + carry) >>> 0;
}

/**
 * Decimal digits shown for a 2^-e resolution: the fewest digits whose unit is at least as fine
 * (10^d >= 2^e), capped at 9 since frames carry nanoseconds.
 */
export function binaryDigits(e: number): number {
  let d = 0;
  for (let p = 1, t = 2 ** e; p < t && d < 9; p *= 10) d++;
  return d;
}

/** ticks of 2^-e seconds -> (sec, nsec): shift for seconds, multi-limb multiply for the fraction. */
function binaryTicks(hi: number, lo: number, e: number, out: TimeOut): void {
  if (e >= 64) {
    out.secHi = 0;
    out.secLo = 0;
  } else if (e >= 32) {
    out.secHi = 0;
    out.secLo = e === 32 ? hi : hi >>> (e - 32);
  } else if (e === 0) {
    out.secHi = hi;
    out.secLo = lo;
  } else {
    out.secHi = hi >>> e;
    out.secLo = ((lo >>> e) | (hi << (32 - e))) >>> 0;
  }
  // Fraction bits: the low e bits of the tick count.
  let fh = hi;
  let fl = lo;
  if (e < 32) {
    fh = 0;
    fl = e === 0 ? 0 : (lo & ((1 << e) - 1)) >>> 0;
  } else if (e < 64) {
    fh = e === 32 ? 0 : hi & (2 ** (e - 32) - 1);
  }
  // nsec = floor(frac * 1e9 / 2^e): frac * 1e9 as six 16-bit limbs, then shift right by e.
  const limbs = [fl & 0xffff, fl >>> 16, fh & 0xffff, fh >>> 16, 0, 0];
  let carry = 0;
  for (let i = 0; i < 4; i++) {
    const t = limbs[i]! * 1e9 + carry; // < 2^46 + 2^30: exact
    limbs[i] = t % TWO16;
    carry = Math.floor(t / TWO16);
  }
  limbs[4] = carry % TWO16;
  limbs[5] = Math.floor(carry / TWO16);
  const k = e >>> 4;
  const s = e & 15;
  let nsec = 0;
  for (let i = k; i < 6; i++) {
    // Each term is an integer once the low s bits of limb k are dropped; the sum is < 1e9.
    const v = i === k ? limbs[i]! >>> s : limbs[i]!;
    nsec += v * 2 ** (16 * (i - k) - (i === k ? 0 : s));
  }
  out.nsec = nsec;
}

/** Seconds as a JS number from the halves (exact below 2^53). */
export function secondsOf(secHi: number, secLo: number): number {
  return (secHi | 0) * TWO32 + secLo;
}
