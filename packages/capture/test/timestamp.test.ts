/** 64-bit tick conversion without BigInt, checked against BigInt arithmetic. */
import { describe, expect, it } from 'vitest';
import { TickConverter, binaryDigits, type TimeOut } from '../src/timestamp.js';

const M64 = (1n << 64n) - 1n;

/** Reference: floor division in BigInt, offset added with int64 wrap-around. */
function reference(ticks: bigint, tsresol: number, offset: bigint): { sec: bigint; nsec: bigint } {
  const units = tsresol & 0x80 ? 1n << BigInt(tsresol & 0x7f) : 10n ** BigInt(tsresol);
  const sec = ticks / units;
  const nsec = ((ticks % units) * 1_000_000_000n) / units;
  return { sec: BigInt.asUintN(64, sec + offset), nsec };
}

function convert(ticks: bigint, tsresol: number, offset = 0n) {
  const off = BigInt.asUintN(64, offset);
  const c = new TickConverter(tsresol, Number(off >> 32n), Number(off & 0xffffffffn));
  const out: TimeOut = { secLo: 0, secHi: 0, nsec: 0 };
  c.convert(Number(ticks >> 32n), Number(ticks & 0xffffffffn), out);
  return { sec: (BigInt(out.secHi) << 32n) | BigInt(out.secLo), nsec: BigInt(out.nsec) };
}

/** Deterministic pseudo-random 64-bit values (xorshift), plus edge cases. */
function samples(): bigint[] {
  const out = [0n, 1n, M64, M64 - 1n, 1n << 32n, (1n << 32n) - 1n, (1n << 53n) + 1n, 1_700_000_000_123_456_789n, 1_700_000_000_123_456n];
  let x = 0x9e3779b97f4a7c15n;
  for (let i = 0; i < 400; i++) {
    x ^= (x << 13n) & M64;
    x ^= x >> 7n;
    x ^= (x << 17n) & M64;
    out.push(i % 2 ? x : x >> BigInt(i % 64));
  }
  return out;
}

describe('TickConverter', () => {
  const resolutions = [0, 1, 3, 6, 9, 10, 12, 15, 19, 0x80, 0x81, 0x8a, 0x94, 0x9e, 0xa0, 0xa1, 0xb0, 0xbf];
  for (const r of resolutions) {
    it(`matches BigInt for if_tsresol 0x${r.toString(16)}`, () => {
      for (const t of samples()) expect(convert(t, r), `ticks ${t}`).toEqual(reference(t, r, 0n));
    });
  }

  it('applies if_tsoffset, positive and negative, exactly', () => {
    for (const off of [1n, 3600n, -1n, -1_000_000_000n, 1n << 40n]) {
      for (const t of samples().slice(0, 50)) expect(convert(t, 9, off)).toEqual(reference(t, 9, off));
    }
  });

  it('keeps every nanosecond digit of a present-day nanosecond timestamp (above 2^53)', () => {
    expect(convert(1_700_000_000_123_456_789n, 9)).toEqual({ sec: 1_700_000_000n, nsec: 123_456_789n });
  });

  it('2^-10 resolution: 1024 ticks per second', () => {
    expect(convert(1024n * 5n + 512n, 0x8a)).toEqual({ sec: 5n, nsec: 500_000_000n });
    expect(convert(1n, 0x8a)).toEqual({ sec: 0n, nsec: 976_562n });
  });

  it('precision digits', () => {
    expect(new TickConverter(6).digits).toBe(6);
    expect(new TickConverter(9).digits).toBe(9);
    expect(new TickConverter(3).digits).toBe(3);
    expect(new TickConverter(12).digits).toBe(9);
    expect(new TickConverter(0x8a).digits).toBe(4); // 2^-10 s ~ 0.98 ms needs 4 decimal digits
    expect(binaryDigits(0)).toBe(0);
    expect(binaryDigits(1)).toBe(1);
    expect(binaryDigits(20)).toBe(7);
    expect(binaryDigits(30)).toBe(9);
    expect(binaryDigits(63)).toBe(9);
  });
});
