// Seeded pseudo-random numbers for the capture generator: sfc32 (small, fast, good enough for
// traffic shapes). Everything the generator draws comes from here, so a seed fixes every byte.

export class Rng {
  /** @param {number} seed any integer; 0 is fine */
  constructor(seed) {
    // splitmix32 spreads the seed over the four state words so nearby seeds diverge at once.
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** Uniform 32-bit unsigned integer. */
  u32() {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float() {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo, hi) {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  chance(p) {
    return this.float() < p;
  }

  pick(items) {
    return items[Math.floor(this.float() * items.length)];
  }

  /** Exponentially distributed with the given mean. */
  exp(mean) {
    return -mean * Math.log(1 - this.float());
  }

  /** Log-uniform integer in [lo, hi]: as many 1-10 KB bodies as 10-100 KB ones. */
  logInt(lo, hi) {
    return Math.floor(Math.exp(Math.log(lo) + this.float() * (Math.log(hi + 1) - Math.log(lo))));
  }

  /**
   * Index into `weights` drawn in proportion to them.
   * @param {number[]} weights
   */
  weighted(weights) {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /** Fills `buf` with random bytes (for binary bodies). */
  fill(buf) {
    let i = 0;
    for (; i + 4 <= buf.length; i += 4) buf.writeUInt32LE(this.u32(), i);
    for (; i < buf.length; i++) buf[i] = this.u32() & 0xff;
    return buf;
  }
}
