/**
 * RecordStream: cuts a byte stream fed in arbitrary chunks into whole records. Records are parsed
 * straight from the caller's chunk; only a record that spans chunks is copied, into a carry
 * buffer that holds exactly the unconsumed tail, so memory is bounded by the largest record.
 */

const EMPTY = new Uint8Array(0);

export abstract class RecordStream {
  /** Absolute offset of the next unconsumed byte in the (decompressed) input. */
  protected offset = 0;
  private carry: Uint8Array = EMPTY;
  private carryView: DataView = new DataView(EMPTY.buffer);
  private carryLen = 0;

  /**
   * Size of the record at `pos`, given `avail` bytes there: the full length once the header is
   * readable, otherwise the (smaller) number of bytes needed to read the header. Must validate
   * lengths before returning them, so a corrupt length never makes us wait for or buffer it.
   */
  protected abstract need(b: Uint8Array, dv: DataView, pos: number, avail: number): number;

  /** Parses one whole record of `len` bytes at `pos`; `this.offset` is its absolute offset. */
  protected abstract consume(b: Uint8Array, dv: DataView, pos: number, len: number): void;

  /** Bytes of an incomplete record held back, waiting for more input. */
  protected get partialBytes(): number {
    return this.carryLen;
  }

  /** A view of the held-back partial record (for reporting what was cut short). */
  protected get partial(): { b: Uint8Array; dv: DataView } {
    return { b: this.carry, dv: this.carryView };
  }

  push(input: Uint8Array): void {
    // A subclass such as Node's Buffer has a slower subarray(), called once per frame below.
    const chunk = Object.getPrototypeOf(input) === Uint8Array.prototype ? input : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    let pos = 0;
    if (this.carryLen > 0) {
      pos = this.fillCarry(chunk);
      if (this.carryLen > 0) return; // still incomplete: the whole chunk went into the carry
    }
    const dv = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const end = chunk.length;
    while (pos < end) {
      const avail = end - pos;
      const len = this.need(chunk, dv, pos, avail);
      if (avail < len) {
        this.stash(chunk, pos, end, len);
        return;
      }
      this.consume(chunk, dv, pos, len);
      this.offset += len;
      pos += len;
    }
  }

  /** Completes the carried record from `chunk`; returns how much of `chunk` it used. */
  private fillCarry(chunk: Uint8Array): number {
    let pos = 0;
    for (;;) {
      const len = this.need(this.carry, this.carryView, 0, this.carryLen);
      if (this.carryLen >= len) {
        this.consume(this.carry, this.carryView, 0, len);
        this.offset += len;
        this.carryLen = 0;
        // Drop a big carry buffer once used, rather than keep it for the rest of the file.
        if (this.carry.length > 1 << 20) this.setCarry(new Uint8Array(0));
        return pos;
      }
      if (pos >= chunk.length) return pos;
      this.reserve(len);
      // Copy only what this record needs: the rest of the chunk is parsed in place.
      const take = Math.min(len - this.carryLen, chunk.length - pos);
      this.carry.set(chunk.subarray(pos, pos + take), this.carryLen);
      this.carryLen += take;
      pos += take;
    }
  }

  private stash(chunk: Uint8Array, pos: number, end: number, len: number): void {
    this.reserve(len);
    this.carry.set(chunk.subarray(pos, end), 0);
    this.carryLen = end - pos;
  }

  private reserve(len: number): void {
    if (this.carry.length >= len) return;
    const next = new Uint8Array(Math.max(len, Math.min(2 * this.carry.length, 1 << 20), 64));
    next.set(this.carry.subarray(0, this.carryLen));
    this.setCarry(next);
  }

  private setCarry(b: Uint8Array): void {
    this.carry = b;
    this.carryView = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
}
