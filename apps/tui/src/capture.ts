/**
 * Live capture for the TUI: opens the interfaces through @reef/capture, and with -w tees every
 * batch into a pcapng file (whole records, closed on stop, quit or a signal) before it reaches
 * the loader. The status bar reads the drop counters while capturing.
 */
import {
  CaptureFileWriter,
  interfaceLine,
  listInterfaces,
  openLiveCapture,
  type FrameBatch,
  type LiveCapture,
  type PacketSource,
} from '@reef/capture';
import type { Options } from './options.js';

export interface LiveRun {
  /** What the loader iterates: the capture, written to -w on the way. */
  source: PacketSource;
  capture: LiveCapture;
  /** Packets seen by the kernel and dropped, summed over the interfaces. */
  counters(): { received: number; dropped: number };
  /** Flushes and closes the -w file (idempotent). */
  finish(): Promise<void>;
}

/** `reef -D`: tshark's interface list. */
export function interfaceList(): string {
  return listInterfaces().map(interfaceLine).join('\n') + '\n';
}

/** Opens the capture (throws LiveCaptureError / CaptureWriteError with one-line messages). */
export async function startLiveCapture(o: Options, version: string): Promise<LiveRun> {
  const capture = openLiveCapture({
    interfaces: o.interfaces,
    ...(o.captureFilter !== undefined && { filter: o.captureFilter }),
    ...(o.snaplen !== undefined && { snaplen: o.snaplen }),
    promiscuous: o.promiscuous,
  });
  let writer: CaptureFileWriter | undefined;
  try {
    if (o.writeFile) writer = await CaptureFileWriter.create(o.writeFile, capture, { format: 'pcapng', application: `reef ${version}` });
  } catch (e) {
    await capture.close();
    throw e;
  }
  let finished: Promise<void> | undefined;
  const finish = (): Promise<void> => (finished ??= writer ? writer.close(capture) : Promise.resolve());
  async function* tee(): AsyncGenerator<FrameBatch> {
    for await (const batch of capture) {
      if (writer && !finished) await writer.write(batch, capture);
      yield batch;
    }
    await finish();
  }
  const iterable = tee();
  // The loader sees a PacketSource: the capture's facts, with the teeing iterator.
  const source: PacketSource = {
    get name() { return capture.name; },
    get format() { return capture.format; },
    get gzip() { return capture.gzip; },
    get interfaces() { return capture.interfaces; },
    get sections() { return capture.sections; },
    get sectionComments() { return capture.sectionComments; },
    get frameComments() { return capture.frameComments; },
    get secrets() { return capture.secrets; },
    get names() { return capture.names; },
    get customBlocks() { return capture.customBlocks; },
    get truncation() { return capture.truncation; },
    get frameCount() { return capture.frameCount; },
    [Symbol.asyncIterator]: () => iterable,
    close: async () => {
      capture.stop();
      await finish();
      await capture.close();
    },
  };
  return {
    source,
    capture,
    counters: () => capture.stats().reduce((a, s) => ({ received: a.received + s.received, dropped: a.dropped + s.dropped + s.ifDropped }), { received: 0, dropped: 0 }),
    finish,
  };
}
