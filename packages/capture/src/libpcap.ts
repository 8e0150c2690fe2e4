/**
 * The libpcap binding: the npm package `cap`, patched (patches/cap@0.2.1.patch) to deliver
 * packets in batches of records with their timestamps and lengths, and to expose snaplen,
 * promiscuous mode, nanosecond timestamps, pcap_stats and pause/resume. Loaded on first use, so
 * the rest of @reef/capture works where the native module is missing.
 */
import { createRequire } from 'node:module';
import { LiveCaptureError } from './live-errors.js';

export interface CapAddress {
  addr?: string;
  netmask?: string;
  broadaddr?: string;
  dstaddr?: string;
}

/** One entry of pcap_findalldevs. */
export interface CapDevice {
  name: string;
  description?: string;
  addresses: CapAddress[];
  flags?: string;
}

export interface CapOpenOptions {
  snaplen: number;
  promisc: number;
  nanosecond: number;
  batch: number;
  immediate: number;
  /** Milliseconds libpcap may hold packets before handing them over (without immediate mode). */
  timeout: number;
}

export interface CapOpenResult {
  /** LINKTYPE_* (the value a capture file stores). */
  linkType: number;
  /** The snaplen libpcap applies (it may differ from the one asked for). */
  snaplen: number;
  nanosecond: boolean;
  /** pcap_activate's warning, if any (e.g. promiscuous mode not supported). */
  warning?: string;
}

export interface CapStats {
  received: number;
  dropped: number;
  ifDropped: number;
}

/** The native capture handle (an EventEmitter). */
export interface CapHandle {
  open(device: string, filter: string, bufferSize: number, buffer: Buffer, opts: CapOpenOptions): CapOpenResult;
  close(): boolean;
  stats(): CapStats;
  pause(): void;
  resume(): void;
  /** Batch mode: `nbytes` of records in the buffer, `count` records. */
  on(event: 'packets', fn: (nbytes: number, count: number) => void): this;
  on(event: 'error', fn: (e: Error) => void): this;
  removeAllListeners(): this;
}

export interface CapModule {
  Cap: { new (): CapHandle; deviceList(): CapDevice[] };
}

/** Batch-mode record header: seconds low/high, nanoseconds, captured length, original length. */
export const RECORD_HEADER = 20;

let loaded: CapModule | undefined;

export function libpcap(): CapModule {
  if (loaded) return loaded;
  let mod: CapModule;
  try {
    mod = createRequire(import.meta.url)('cap') as CapModule;
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new LiveCaptureError(
      'libpcap-unavailable',
      undefined,
      `live capture is unavailable: the libpcap binding (npm package cap) did not load (${why}); install libpcap-dev and build-essential, then run: npm_config_nodedir=/usr pnpm install`,
    );
  }
  const proto = mod.Cap.prototype as Partial<CapHandle>;
  if (typeof proto.stats !== 'function' || typeof proto.pause !== 'function') {
    throw new LiveCaptureError(
      'libpcap-unavailable',
      undefined,
      'live capture is unavailable: the npm package cap is not built with patches/cap@0.2.1.patch; reinstall with: npm_config_nodedir=/usr pnpm install',
    );
  }
  loaded = mod;
  return mod;
}
