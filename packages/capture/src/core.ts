/**
 * @reef/capture/core: the platform-neutral part of @reef/capture (no Node built-ins), for
 * browsers and workers: feed bytes to a CaptureReader, take FrameBatches.
 */
export * from './batch.js';
export { BatchBuilder, DEFAULT_BATCH_BYTES, DEFAULT_BATCH_FRAMES, type BatchLimits } from './builder.js';
export {
  CaptureFormatError,
  MAX_BLOCK_BYTES,
  MAX_CAPLEN,
  type CaptureErrorCode,
  type TruncationWarning,
} from './errors.js';
export { PcapParser, PCAP_MAGIC_NSEC, PCAP_MAGIC_USEC } from './pcap.js';
export { PcapngParser } from './pcapng.js';
export { CaptureReader, detectFormat, type CaptureReaderOptions } from './reader.js';
export { TickConverter, binaryDigits, type TimeOut } from './timestamp.js';
export type {
  CaptureFormat,
  CaptureInfo,
  CustomBlockInfo,
  DecryptionSecrets,
  InterfaceInfo,
  InterfaceStats,
  NameRecord,
  PacketSource,
  ParseContext,
  SectionInfo,
} from './types.js';
export { emptyCaptureInfo } from './types.js';
export { ByteSink, CaptureWriteError, mulAdd64, pcapngResolution, ticksOf, type CaptureEncoder, type EncoderOptions, type Ticks, type WriterSource } from './writer.js';
export { PcapEncoder, checkPcapLinkTypes } from './pcap-writer.js';
export { PcapngEncoder } from './pcapng-writer.js';
export { linkTypeName } from './link-types.js';
export { createEncoder, type CaptureWriterOptions } from './encoders.js';
