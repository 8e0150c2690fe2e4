/** Picks the encoder for a format. Platform-neutral. */
import { PcapEncoder } from './pcap-writer.js';
import { PcapngEncoder } from './pcapng-writer.js';
import type { CaptureFormat } from './types.js';
import type { CaptureEncoder, EncoderOptions } from './writer.js';

export interface CaptureWriterOptions extends EncoderOptions {
  /** Default pcapng, as tshark writes. */
  format?: CaptureFormat;
}

export function createEncoder(opts: CaptureWriterOptions = {}): CaptureEncoder {
  return opts.format === 'pcap' ? new PcapEncoder() : new PcapngEncoder(opts);
}
