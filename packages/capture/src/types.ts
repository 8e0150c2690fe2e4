/** What a reader learns about a capture besides its frames. Platform-neutral. */
import type { FrameBatch } from './batch.js';
import type { BatchBuilder } from './builder.js';
import type { TruncationWarning } from './errors.js';

export type CaptureFormat = 'pcap' | 'pcapng';

/** One capture interface: the pcap file header, or one pcapng IDB. */
export interface InterfaceInfo {
  /** Index within the whole source (the frame meta's interface word). */
  id: number;
  /** pcapng section index (0 for pcap). */
  section: number;
  /** Index within its section, as the file's packet blocks (and tshark 4.0's frame.interface_id) number it. */
  localId: number;
  linkType: number;
  /** 0 = no limit. */
  snaplen: number;
  /** Timestamp precision in decimal digits (6 usec, 9 nsec, ...). */
  tsPrecision: number;
  /** The raw if_tsresol byte (6 if absent; 0x80 bit = power of 2). pcap: 6 or 9. */
  tsResol: number;
  /** if_tsoffset in seconds (0 if absent; exact below 2^53). */
  tsOffset: number;
  name?: string;
  description?: string;
  /** if_filter when it is a filter string (type 0). */
  filter?: string;
  /** pcap: FCS length in bytes from the link-type field's FCS bits, when present. */
  fcsLen?: number;
  comments: string[];
  /** From Interface Statistics Blocks (the last seen wins); counters exact below 2^53. */
  stats?: InterfaceStats;
}

export interface InterfaceStats {
  received?: number;
  dropped?: number;
  filterAccepted?: number;
  osDropped?: number;
  delivered?: number;
}

/** One pcapng Section Header Block (pcap files have none). */
export interface SectionInfo {
  byteOrder: 'le' | 'be';
  versionMajor: number;
  versionMinor: number;
  /** Byte offset of the SHB. */
  offset: number;
  hardware?: string;
  os?: string;
  userAppl?: string;
  comments: string[];
}

/** A pcapng Decryption Secrets Block, raw bytes kept (e.g. a TLS key log). */
export interface DecryptionSecrets {
  /** Secrets type, e.g. 0x544c534b = TLS key log. */
  type: number;
  data: Uint8Array;
  /** Frame number the next packet would get, i.e. the secrets apply from this frame on. */
  beforeFrame: number;
}

/** A pcapng Name Resolution Block entry. */
export interface NameRecord {
  type: 'ipv4' | 'ipv6';
  address: string;
  names: string[];
}

/** A pcapng custom block delivered as a frame (tshark shows these as frames too). */
export interface CustomBlockInfo {
  /** Private Enterprise Number. */
  pen: number;
  /** Block type 0x00000BAD (may be copied) vs 0x40000BAD (must not). */
  copyable: boolean;
}

/** Everything a reader collects besides the frames; one object shared with the parser. */
export interface CaptureInfo {
  interfaces: InterfaceInfo[];
  sections: SectionInfo[];
  /** Comments of frames that have any, by frame number. */
  frameComments: Map<number, string[]>;
  secrets: DecryptionSecrets[];
  names: NameRecord[];
  customBlocks: Map<number, CustomBlockInfo>;
}

export function emptyCaptureInfo(): CaptureInfo {
  return { interfaces: [], sections: [], frameComments: new Map(), secrets: [], names: [], customBlocks: new Map() };
}

/** What a format parser is given. */
export interface ParseContext {
  /** File name for messages ('-' for stdin). */
  name: string;
  builder: BatchBuilder;
  info: CaptureInfo;
  /** Deliver pcapng custom blocks as frames (tshark's numbering) or skip them. */
  customBlocksAsFrames: boolean;
}

/**
 * A capture being read: an async iterable of FrameBatch (iterate once), plus what the file says
 * about itself. Interface/section/comment collections grow while iterating (pcapng may declare
 * interfaces anywhere); `truncation` is known once iteration has ended.
 */
export interface PacketSource extends AsyncIterable<FrameBatch> {
  /** File name as given ('-' for stdin). */
  readonly name: string;
  readonly format: CaptureFormat;
  /** The input was gzip-compressed (detected by magic); file offsets refer to the decompressed bytes. */
  readonly gzip: boolean;
  readonly interfaces: readonly InterfaceInfo[];
  readonly sections: readonly SectionInfo[];
  /** All section-header comments, in file order. */
  readonly sectionComments: readonly string[];
  /** Comments of frames that have any, by frame number. */
  readonly frameComments: ReadonlyMap<number, readonly string[]>;
  readonly secrets: readonly DecryptionSecrets[];
  readonly names: readonly NameRecord[];
  /** pcapng custom blocks delivered as frames, by frame number. */
  readonly customBlocks: ReadonlyMap<number, CustomBlockInfo>;
  /** Set after iteration ended if the input was cut short in the middle of a record. */
  readonly truncation: TruncationWarning | undefined;
  /** Frames parsed so far. */
  readonly frameCount: number;
  /** Stops reading and releases the file or stream. Idempotent; called when iteration ends. */
  close(): Promise<void>;
  /**
   * Hands back a batch this source yielded, once nothing reads it any more (optional): its
   * memory holds later batches instead of new allocations.
   */
  recycle?(batch: FrameBatch): void;
}
