/**
 * Live capture through libpcap (the `cap` binding): a PacketSource over one or more interfaces.
 * The binding fills a buffer with records per readable event; they are copied into FrameBatches
 * (no object per packet), and a batch goes out when it is full or after a short interval, so a
 * front end sees packets promptly.
 */
import { endianness } from 'node:os';
import type { FrameBatch } from './batch.js';
import { BatchBuilder, type BatchLimits } from './builder.js';
import { listInterfaces, quotedList, resolveInterface, unknownInterface, type ResolvedInterface } from './interfaces.js';
import { libpcap, RECORD_HEADER, type CapHandle, type CapStats } from './libpcap.js';
import { fromLibpcapError, LiveCaptureError } from './live-errors.js';
import type { CustomBlockInfo, DecryptionSecrets, InterfaceInfo, NameRecord, PacketSource, SectionInfo } from './types.js';

/** tshark's default and largest snapshot length (WTAP_MAX_PACKET_SIZE_STANDARD). */
export const DEFAULT_SNAPLEN = 262144;
/** dumpcap's default kernel buffer: 2 MiB. */
export const DEFAULT_BUFFER_SIZE = 2 * 1024 * 1024;
/** Live frames have no place in a file: their fileOffset is this. */
export const NO_FILE_OFFSET = -1;

export interface LiveInterfaceSpec {
  /** A name, a `tshark -D` number, or `lo0`. */
  name: string;
  /** Capture filter for this interface (overrides LiveCaptureOptions.filter). */
  filter?: string;
}

export interface LiveCaptureOptions extends BatchLimits {
  interfaces: (string | LiveInterfaceSpec)[];
  /** BPF capture filter for interfaces without their own. */
  filter?: string;
  /** Bytes kept per packet (default and 0: 262144). */
  snaplen?: number;
  /** Promiscuous mode (default true). */
  promiscuous?: boolean;
  /** Kernel capture buffer in bytes (default 2 MiB). */
  bufferSize?: number;
  /** Stop after this many frames (all interfaces together). */
  maxFrames?: number;
  /**
   * Deliver each packet as soon as it arrives (libpcap's immediate mode). Off by default: on
   * Linux it takes one snaplen-sized ring slot per packet and drops under load; without it the
   * kernel packs packets into blocks, handed over when full or after `readTimeout`.
   */
  immediate?: boolean;
  /** Longest time the kernel holds captured packets, in ms (default 100). */
  readTimeout?: number;
  /** Longest time a frame waits in a batch being filled, in ms (default 50). */
  flushInterval?: number;
  /** Captured bytes waiting for the consumer above which reading pauses (default 64 MiB). */
  maxQueuedBytes?: number;
}

/** libpcap's counters for one interface. */
export interface LiveInterfaceStats {
  name: string;
  /** As tshark shows it, e.g. `Loopback: lo`. */
  displayName: string;
  /** Packets the kernel saw (ps_recv). */
  received: number;
  /** Dropped for lack of buffer space (ps_drop): what tshark reports as dropped. */
  dropped: number;
  /** Dropped by the interface or its driver (ps_ifdrop). */
  ifDropped: number;
}

export interface LiveCapture extends PacketSource {
  /** The interfaces as opened, in the order of `interfaces` (frame meta's interface word). */
  readonly opened: readonly ResolvedInterface[];
  /** Remarks for stderr: lo0 mapped to lo, libpcap's warnings. */
  readonly notices: readonly string[];
  /** tshark's "Capturing on" text: `'Loopback: lo' and 'any'`. */
  readonly description: string;
  /** Counters per interface: current while capturing, final after stop(). */
  stats(): LiveInterfaceStats[];
  /** Stops capturing; batches already captured are still delivered, then iteration ends. */
  stop(): void;
  readonly stopped: boolean;
}

interface Handle {
  cap: CapHandle;
  buf: Buffer;
  view: DataView;
  info: InterfaceInfo;
  resolved: ResolvedInterface;
  flags: number;
}

const LE = endianness() === 'LE';
const DEFAULT_FLUSH_MS = 50;
/** A frame reaches the consumer within about this plus the flush interval. */
const DEFAULT_READ_TIMEOUT_MS = 100;
const DEFAULT_MAX_QUEUED = 64 * 1024 * 1024;

/**
 * Opens every interface (all or none: a failure closes those already open). Throws
 * LiveCaptureError (UnknownInterfaceError for a name libpcap does not know).
 */
export function openLiveCapture(opts: LiveCaptureOptions): LiveCapture {
  if (opts.interfaces.length === 0) throw new LiveCaptureError('no-such-device', undefined, 'no capture interface given');
  const { Cap } = libpcap();
  const list = listInterfaces();
  const snaplen = opts.snaplen && opts.snaplen > 0 ? Math.min(opts.snaplen, DEFAULT_SNAPLEN) : DEFAULT_SNAPLEN;
  const bufferSize = opts.bufferSize ?? DEFAULT_BUFFER_SIZE;
  const promisc = opts.promiscuous === false ? 0 : 1;
  // Room for several records of the largest size, and plenty of small ones per wakeup.
  const bufLen = Math.max(1 << 20, 4 * (RECORD_HEADER + snaplen + 3));
  const handles: Handle[] = [];
  const notices: string[] = [];
  try {
    for (const [k, raw] of opts.interfaces.entries()) {
      const spec = typeof raw === 'string' ? { name: raw } : raw;
      const resolved = resolveInterface(spec.name, list);
      if (resolved.notice) notices.push(resolved.notice);
      const filter = spec.filter ?? opts.filter ?? '';
      const cap = new Cap();
      const buf = Buffer.alloc(bufLen);
      let res;
      try {
        res = cap.open(resolved.name, filter, bufferSize, buf, {
          snaplen,
          promisc,
          nanosecond: 1,
          batch: 1,
          immediate: opts.immediate ? 1 : 0,
          timeout: opts.readTimeout ?? DEFAULT_READ_TIMEOUT_MS,
        });
      } catch (e) {
        const err = fromLibpcapError(e, spec.name, resolved.name, filter);
        throw err.code === 'no-such-device' ? unknownInterface(spec.name, list) : err;
      }
      if (res.warning && !/promiscuous mode not supported/i.test(res.warning)) notices.push(`${resolved.displayName}: ${res.warning}`);
      const precision = res.nanosecond ? 9 : 6;
      const info: InterfaceInfo = {
        id: k,
        section: 0,
        localId: k,
        linkType: res.linkType,
        snaplen: res.snaplen,
        tsPrecision: precision,
        tsResol: precision,
        tsOffset: 0,
        name: resolved.name,
        comments: [],
      };
      if (filter) info.filter = filter;
      handles.push({ cap, buf, view: new DataView(buf.buffer, buf.byteOffset, buf.byteLength), info, resolved, flags: precision });
    }
  } catch (e) {
    for (const h of handles) h.cap.close();
    throw e;
  }
  return new LiveSource(handles, notices, opts);
}

class LiveSource implements LiveCapture {
  readonly name: string;
  readonly format = 'pcapng' as const;
  readonly gzip = false;
  readonly interfaces: InterfaceInfo[];
  readonly sections: SectionInfo[] = [];
  readonly sectionComments: string[] = [];
  readonly frameComments = new Map<number, string[]>();
  readonly secrets: DecryptionSecrets[] = [];
  readonly names: NameRecord[] = [];
  readonly customBlocks = new Map<number, CustomBlockInfo>();
  readonly truncation = undefined;
  readonly opened: ResolvedInterface[];
  readonly description: string;

  private readonly builder: BatchBuilder;
  private readonly maxFrames: number;
  private readonly flushMs: number;
  private readonly maxQueued: number;
  private queue: FrameBatch[] = [];
  private queuedBytes = 0;
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private paused = false;
  private ended = false;
  private iterating = false;
  private error: unknown;
  private finalStats: (CapStats | undefined)[] | undefined;

  constructor(
    private readonly handles: Handle[],
    readonly notices: string[],
    opts: LiveCaptureOptions,
  ) {
    this.interfaces = handles.map((h) => h.info);
    this.opened = handles.map((h) => h.resolved);
    this.name = handles.map((h) => h.resolved.name).join(', ');
    this.description = quotedList(handles.map((h) => h.resolved.displayName));
    this.builder = new BatchBuilder(opts);
    this.maxFrames = opts.maxFrames ?? Infinity;
    this.flushMs = opts.flushInterval ?? DEFAULT_FLUSH_MS;
    this.maxQueued = opts.maxQueuedBytes ?? DEFAULT_MAX_QUEUED;
    handles.forEach((h, k) => {
      h.cap.on('packets', (nbytes, count) => this.onPackets(k, nbytes, count));
      h.cap.on('error', (e) => this.onError(k, e));
    });
  }

  get frameCount(): number {
    return this.builder.nextNumber - 1;
  }

  get stopped(): boolean {
    return this.ended;
  }

  stats(): LiveInterfaceStats[] {
    return this.handles.map((h, k) => {
      const s = this.finalStats ? this.finalStats[k] : readStats(h.cap);
      const r = h.resolved;
      const st = { name: r.name, displayName: r.displayName, received: s?.received ?? 0, dropped: s?.dropped ?? 0, ifDropped: s?.ifDropped ?? 0 };
      // The writer's Interface Statistics Block reads these (isb_ifrecv, isb_ifdrop as dumpcap writes them).
      if (s) h.info.stats = { received: st.received, dropped: st.dropped };
      return st;
    });
  }

  stop(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // Counters must be read before pcap_close.
    this.finalStats = this.handles.map((h) => readStats(h.cap));
    this.stats();
    for (const h of this.handles) {
      h.cap.close();
      h.cap.removeAllListeners();
    }
    this.builder.flush();
    this.collect();
    this.notify();
  }

  async close(): Promise<void> {
    this.stop();
    this.queue = [];
    this.queuedBytes = 0;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<FrameBatch> {
    if (this.iterating) throw new Error(`${this.name}: a PacketSource can be iterated only once`);
    this.iterating = true;
    try {
      for (;;) {
        const batch = this.queue.shift();
        if (batch) {
          this.queuedBytes -= batch.data.length;
          if (this.paused && this.queuedBytes < this.maxQueued / 2) this.setPaused(false);
          yield batch;
          continue;
        }
        if (this.error) throw this.error;
        if (this.ended) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      await this.close();
    }
  }

  /** Copies `count` records out of interface k's buffer (the binding reuses it). */
  private onPackets(k: number, nbytes: number, count: number): void {
    if (this.ended) return;
    const h = this.handles[k]!;
    const dv = h.view;
    const linkType = h.info.linkType;
    let p = 0;
    for (let i = 0; i < count && p + RECORD_HEADER <= nbytes; i++) {
      const capLen = dv.getUint32(p + 12, LE);
      this.builder.add(
        h.buf,
        p + RECORD_HEADER,
        capLen,
        dv.getUint32(p + 16, LE),
        dv.getUint32(p, LE),
        dv.getUint32(p + 4, LE),
        dv.getUint32(p + 8, LE),
        linkType,
        k,
        h.flags,
        NO_FILE_OFFSET,
      );
      p += RECORD_HEADER + ((capLen + 3) & ~3);
      if (this.builder.nextNumber > this.maxFrames) {
        this.stop();
        return;
      }
    }
    this.collect();
    if (this.builder.pending > 0 && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.builder.flush();
        this.collect();
      }, this.flushMs);
    }
  }

  private onError(k: number, e: Error): void {
    const r = this.handles[k]!.resolved;
    this.error = new LiveCaptureError('device-failed', r.name, `${r.displayName}: ${e.message}`);
    this.stop();
  }

  /** Moves finished batches to the queue, wakes the consumer, pauses reading if it lags far behind. */
  private collect(): void {
    for (const b of this.builder.take()) {
      this.queue.push(b);
      this.queuedBytes += b.data.length;
    }
    if (this.queue.length > 0) this.notify();
    if (!this.paused && !this.ended && this.queuedBytes > this.maxQueued) this.setPaused(true);
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  /** Paused, packets wait in the kernel buffer, where overflow is counted as drops. */
  private setPaused(on: boolean): void {
    this.paused = on;
    if (this.ended) return;
    for (const h of this.handles) {
      if (on) h.cap.pause();
      else h.cap.resume();
    }
  }
}

function readStats(cap: CapHandle): CapStats | undefined {
  try {
    return cap.stats();
  } catch {
    return undefined;
  }
}
