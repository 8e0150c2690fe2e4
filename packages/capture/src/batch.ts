/**
 * FrameBatch: the unit every PacketSource yields, and the exact binary shape
 * @reef/dissect copies into wasm memory (crates/dissect/src/abi.rs reads the same layout).
 *
 * No JS object per packet: a batch is a few typed arrays shared by many frames.
 *  - `data`  holds the captured bytes of every frame, back to back.
 *  - `meta`  holds META_WORDS u32 words per frame (little-endian when viewed as bytes):
 *      [0] frame number (1-based, counted across the whole source)
 *      [1] offset of the frame's bytes in `data`
 *      [2] captured length
 *      [3] original (wire) length
 *      [4] timestamp seconds, low 32 bits
 *      [5] timestamp seconds, high 32 bits (two's complement; 0 until 2106)
 *      [6] timestamp nanoseconds (0..999_999_999)
 *      [7] link type (LINKTYPE_* as in pcap)
 *      [8] interface id (pcapng IDB index within the source; 0 for pcap)
 *      [9] flags: bits 0-7 = timestamp precision in decimal digits (6 = usec, 9 = nsec)
 *                 bit 8 (FLAG_NO_TIMESTAMP) = the record has no timestamp (pcapng Simple Packet
 *                   Block, custom block); words 4-6 are 0 and tshark prints no frame.time_epoch
 *                 bit 9 (FLAG_CUSTOM_BLOCK) = a pcapng custom block (type 0xBAD / 0x40000BAD) shown
 *                   as a frame like tshark does: `data` is the block body after the PEN,
 *                   link type = LINKTYPE_NONE, interface = INTERFACE_NONE
 *  - `fileOffset` is the byte offset of the frame's record in the (decompressed) source,
 *    so a front end can re-read one frame later without keeping its bytes; -1 for frames
 *    captured live (they are in no file).
 */
export const META_WORDS = 10;
export const META_BYTES = META_WORDS * 4;

export const enum Meta {
  Number = 0,
  DataOffset = 1,
  CapLen = 2,
  OrigLen = 3,
  TsSecLo = 4,
  TsSecHi = 5,
  TsNsec = 6,
  LinkType = 7,
  Interface = 8,
  Flags = 9,
}

/** Bits 0-7 of the flags word: timestamp precision in decimal digits. */
export const FLAG_PRECISION_MASK = 0xff;
/** The record carries no timestamp (pcapng SPB, custom block). */
export const FLAG_NO_TIMESTAMP = 0x100;
/** The frame is a pcapng custom block's payload, not a link-layer packet. */
export const FLAG_CUSTOM_BLOCK = 0x200;
/** Link type / interface id of records that have none (custom blocks). */
export const LINKTYPE_NONE = 0xffffffff;
export const INTERFACE_NONE = 0xffffffff;

export interface FrameBatch {
  /** Number of frames in this batch. */
  count: number;
  /** Captured bytes of all frames, back to back. */
  data: Uint8Array;
  /** META_WORDS words per frame, see above. Length >= count * META_WORDS. */
  meta: Uint32Array;
  /** Byte offset of each frame's record in the source. Length >= count. */
  fileOffset: Float64Array;
}

/** Seconds since the epoch of frame `i` as a float (loses sub-microsecond precision; for display only). */
export function frameTimeSeconds(batch: FrameBatch, i: number): number {
  const m = batch.meta;
  const base = i * META_WORDS;
  const sec = (m[base + Meta.TsSecHi]! | 0) * 4294967296 + m[base + Meta.TsSecLo]!;
  return sec + m[base + Meta.TsNsec]! / 1e9;
}

/** The captured bytes of frame `i` (a view, not a copy). */
export function frameBytes(batch: FrameBatch, i: number): Uint8Array {
  const base = i * META_WORDS;
  const off = batch.meta[base + Meta.DataOffset]!;
  return batch.data.subarray(off, off + batch.meta[base + Meta.CapLen]!);
}
