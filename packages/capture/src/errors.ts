/** Errors and warnings of the capture readers. Platform-neutral. */

export type CaptureErrorCode =
  /** 0-byte input. */
  | 'empty-file'
  /** Unknown magic number, or fewer than 4 bytes. */
  | 'not-a-capture'
  /** pcapng block length not a multiple of 4, < 12, or the trailing copy differs. */
  | 'bad-block-length'
  /** A non-packet pcapng block larger than MAX_BLOCK_BYTES. */
  | 'block-too-large'
  /** pcapng section header with an unknown byte-order magic. */
  | 'bad-byte-order'
  /** pcapng section header with a major version other than 1. */
  | 'unsupported-version'
  /** Captured length over 256 KiB, over the pcap snaplen, or not fitting its block. */
  | 'bad-caplen'
  /** A packet block naming an interface its section does not have. */
  | 'unknown-interface'
  /** A pcapng block too short for its fixed fields. */
  | 'bad-block'
  /** The gzip layer failed (corrupt compressed data). */
  | 'gzip';

/**
 * A capture file is malformed. `message` is one line, `FILE: what (where)`, like tshark's.
 * `offset` is a byte offset in the (decompressed) input; `frame` the frame number involved, if any.
 */
export class CaptureFormatError extends Error {
  override readonly name = 'CaptureFormatError';
  constructor(
    readonly code: CaptureErrorCode,
    readonly file: string,
    readonly offset: number,
    detail: string,
    readonly frame?: number,
  ) {
    super(`${file}: ${detail}`);
  }
}

/** The input ended in the middle of a record: every whole frame was delivered, this one was not. */
export interface TruncationWarning {
  /** The number the partial frame would have had. */
  frame: number;
  /** Byte offset of the partial record. */
  offset: number;
  /** One line, e.g. `x.pcap: file appears to be cut short in the middle of a packet (frame 71 at byte offset 6100)`. */
  message: string;
}

/** The warning for a record cut short at `offset`; `packet` = the record was a frame (else another pcapng block). */
export function truncationWarning(file: string, frame: number, offset: number, packet = true): TruncationWarning {
  const where = packet ? `frame ${frame} at byte offset ${offset}` : `block at byte offset ${offset}`;
  return {
    frame,
    offset,
    message: `${file}: file appears to be cut short in the middle of ${packet ? 'a packet' : 'a block'} (${where})`,
  };
}

/** Lengths as a reader checks them: the largest frame accepted (Wireshark's WTAP_MAX_PACKET_SIZE_STANDARD). */
export const MAX_CAPLEN = 262144;
/** Largest pcapng block accepted, so a corrupt length never makes us buffer gigabytes. */
export const MAX_BLOCK_BYTES = 16 * 1024 * 1024;
