/**
 * Live capture on the loopback interface (root only; CI runs as root): a /ping exchange captured
 * through libpcap with a BPF filter, written to a file, read back by our reader and by tshark;
 * the same on two interfaces at once; interface listing and resolution.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameBytes, Meta, META_WORDS, type FrameBatch } from '../src/batch.js';
import { CaptureFileWriter } from '../src/file-writer.js';
import { closestName, editDistance, interfaceLine, listInterfaces, quotedList, resolveInterface } from '../src/interfaces.js';
import { NO_FILE_OFFSET, openLiveCapture, type LiveCapture } from '../src/live.js';
import { LiveCaptureError, UnknownInterfaceError } from '../src/live-errors.js';
import { openCaptureFile } from '../src/node.js';
import { hasTshark, tshark } from '../../../test-fixtures/lib/paths.js';
import {
  getPing,
  isRoot,
  notRootReason,
  pingExchange,
  sleep,
  startPingServer,
  tcpSegment,
  wholeExchange,
  type PingServer,
  type Segment,
} from '../../../test-fixtures/lib/live.js';
import { framesOf } from './util.js';

const tmp = mkdtempSync(join(tmpdir(), 'reef-live-'));
if (!isRoot) console.warn(`live capture tests skipped: ${notRootReason}`);

describe('interface names', () => {
  it('edit distance counts substitutions, insertions, deletions and transpositions', () => {
    expect(editDistance('eth0', 'eth0')).toBe(0);
    expect(editDistance('eht0', 'eth0')).toBe(1);
    expect(editDistance('eth', 'eth0')).toBe(1);
    expect(editDistance('wlan0', 'eth0')).toBe(4);
    expect(closestName('eht0', ['lo', 'eth0', 'any'])).toBe('eth0');
    expect(closestName('Lo', ['lo', 'eth0'])).toBe('lo');
  });

  it("quotes names like tshark's Capturing on line", () => {
    expect(quotedList(['Loopback: lo'])).toBe("'Loopback: lo'");
    expect(quotedList(['Loopback: lo', 'any'])).toBe("'Loopback: lo' and 'any'");
    expect(quotedList(['Loopback: lo', 'any', 'eth0'])).toBe("'Loopback: lo', 'any', and 'eth0'");
  });

  const list = [
    { index: 1, name: 'eth0', loopback: false, addresses: ['192.0.2.2'] },
    { index: 2, name: 'any', description: 'Pseudo-device that captures on all interfaces', loopback: false, addresses: [] },
    { index: 3, name: 'lo', loopback: true, addresses: ['127.0.0.1', '::1'] },
  ];

  it('formats -D lines and resolves names, -D numbers and lo0', () => {
    expect(list.map(interfaceLine)).toEqual(['1. eth0', '2. any', '3. lo (Loopback)']);
    expect(resolveInterface('3', list)).toMatchObject({ name: 'lo', displayName: 'Loopback: lo' });
    expect(resolveInterface('any', list)).toMatchObject({ name: 'any', displayName: 'any' });
    const lo0 = resolveInterface('lo0', list);
    expect(lo0).toMatchObject({ name: 'lo', displayName: 'Loopback: lo' });
    expect(lo0.notice).toBe('lo0 is the macOS name of the loopback interface; capturing on lo, the loopback interface here');
    // Unlisted names go to libpcap as they are (it knows devices such as nflog:5).
    expect(resolveInterface('nflog:5', list)).toEqual({ name: 'nflog:5', displayName: 'nflog:5' });
    expect(() => resolveInterface('4', list)).toThrow(UnknownInterfaceError);
    expect(() => resolveInterface('4', list)).toThrow('There is no interface number 4. Available interfaces: 1. eth0, 2. any, 3. lo');
  });

  it('lists the interfaces libpcap sees, with tshark -D names and numbers', () => {
    const ours = listInterfaces();
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.some((i) => i.loopback)).toBe(true);
    if (!hasTshark) return;
    // tshark lists extcap interfaces (sshdump, ...) after libpcap's.
    const theirs = tshark(['-D']).stdout.trim().split('\n');
    expect(theirs.slice(0, ours.length)).toEqual(ours.map(interfaceLine));
  });
});

/** Collects a live source's batches until it ends; resolves with its frames. */
function collect(src: LiveCapture) {
  const batches: FrameBatch[] = [];
  const done = (async () => {
    for await (const b of src) batches.push(b);
    return batches;
  })();
  return { batches, done };
}

function segments(batches: FrameBatch[]): (Segment & { iface: number })[] {
  const out: (Segment & { iface: number })[] = [];
  for (const b of batches) {
    for (let i = 0; i < b.count; i++) {
      const s = tcpSegment(b.meta[i * META_WORDS + Meta.LinkType]!, frameBytes(b, i));
      if (s) out.push({ ...s, iface: b.meta[i * META_WORDS + Meta.Interface]! });
    }
  }
  return out;
}

describe.skipIf(!isRoot)('live capture on lo (root)', () => {
  let server: PingServer;
  beforeAll(async () => {
    server = await startPingServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('captures the /ping exchange with a BPF filter and writes a valid pcapng', async () => {
    const src = openLiveCapture({ interfaces: ['lo'], filter: `tcp port ${server.port}` });
    expect(src.description).toBe("'Loopback: lo'");
    expect(src.interfaces).toMatchObject([{ id: 0, name: 'lo', linkType: 1, snaplen: 262144, tsPrecision: 9, filter: `tcp port ${server.port}` }]);
    const file = join(tmp, 'ping.pcapng');
    const writer = await CaptureFileWriter.create(file, src, { application: 'reef test' });
    const { batches, done } = collect(src);
    const t0 = Date.now();
    expect(await getPing(server.port)).toBe('pong');
    // Batches arrive within the flush interval, without stopping the capture.
    while (batches.length === 0 && Date.now() - t0 < 3000) await sleep(20);
    expect(batches.length).toBeGreaterThan(0);
    expect(src.stats()[0]).toMatchObject({ name: 'lo', displayName: 'Loopback: lo', dropped: 0 });
    await sleep(200);
    src.stop();
    await done;
    for (const b of batches) await writer.write(b, src);
    await writer.close(src);

    const segs = segments(batches);
    expect(pingExchange(segs, server.port)).toEqual(wholeExchange);
    expect(segs.every((s) => s.srcPort === server.port || s.dstPort === server.port)).toBe(true);
    const frames = batches.flatMap(framesOf);
    expect(frames.map((f) => f.number)).toEqual(frames.map((_, i) => i + 1));
    expect(frames.every((f) => f.fileOffset === NO_FILE_OFFSET && f.flags === 9 && f.capLen === f.origLen)).toBe(true);
    const stats = src.stats()[0]!;
    expect(stats.received).toBeGreaterThanOrEqual(frames.length);

    // Read back: the same frames, one IDB with the filter, statistics at the end.
    const back = await openCaptureFile(file);
    const again = [];
    for await (const b of back) again.push(...framesOf(b));
    expect(again.map((f) => [f.time, Buffer.from(f.data).toString('hex')])).toEqual(frames.map((f) => [f.time, Buffer.from(f.data).toString('hex')]));
    expect(back.interfaces).toMatchObject([{ name: 'lo', linkType: 1, tsPrecision: 9, filter: `tcp port ${server.port}`, stats: { received: stats.received, dropped: 0 } }]);
    if (hasTshark) {
      const t = tshark(['-n', '-r', file, '-d', `tcp.port==${server.port},http`]);
      expect(t.stderr).toBe('');
      const lines = t.stdout.trim().split('\n');
      expect(lines).toHaveLength(frames.length);
      expect(lines.some((l) => / HTTP \d+ GET \/ping HTTP\/1\.1/.test(l))).toBe(true);
      expect(lines.some((l) => / HTTP \d+ HTTP\/1\.1 200 OK/.test(l))).toBe(true);
    }
  });

  it('captures on two interfaces at once (lo and any), one IDB each', async () => {
    const filter = `tcp port ${server.port}`;
    const src = openLiveCapture({ interfaces: ['lo', { name: 'any', filter }], filter });
    expect(src.description).toBe("'Loopback: lo' and 'any'");
    expect(src.interfaces.map((i) => [i.id, i.name, i.linkType])).toEqual([
      [0, 'lo', 1],
      // libpcap's "any" device: Linux cooked capture (v1 unless SLL2 is asked for).
      [1, 'any', 113],
    ]);
    const file = join(tmp, 'two.pcapng');
    const writer = await CaptureFileWriter.create(file, src);
    const { batches, done } = collect(src);
    await sleep(100);
    expect(await getPing(server.port)).toBe('pong');
    await sleep(300);
    src.stop();
    await done;
    for (const b of batches) await writer.write(b, src);
    await writer.close(src);

    const segs = segments(batches);
    expect(pingExchange(segs.filter((s) => s.iface === 0), server.port)).toEqual(wholeExchange);
    expect(pingExchange(segs.filter((s) => s.iface === 1), server.port)).toEqual(wholeExchange);
    const back = await openCaptureFile(file);
    let n = 0;
    for await (const b of back) n += b.count;
    expect(n).toBe(batches.reduce((a, b) => a + b.count, 0));
    expect(back.interfaces.map((i) => [i.name, i.linkType])).toEqual([
      ['lo', 1],
      ['any', 113],
    ]);
    if (hasTshark) {
      const info = tshark(['-r', file, '-T', 'fields', '-e', 'frame.interface_name']).stdout.trim().split('\n');
      expect(new Set(info)).toEqual(new Set(['lo', 'any']));
    }
  });

  it('pauses reading while the consumer lags, losing nothing the kernel buffer holds', async () => {
    // Any queued batch pauses libpcap reading until the consumer has taken it.
    const src = openLiveCapture({ interfaces: ['lo'], filter: `tcp port ${server.port}`, maxQueuedBytes: 1, maxBatchFrames: 2 });
    const batches: FrameBatch[] = [];
    const done = (async () => {
      for await (const b of src) {
        batches.push(b);
        await sleep(50);
      }
    })();
    for (let i = 0; i < 3; i++) expect(await getPing(server.port)).toBe('pong');
    await sleep(1500);
    src.stop();
    await done;
    const segs = segments(batches);
    const clients = new Set(segs.filter((x) => x.dstPort === server.port).map((x) => x.srcPort));
    expect(clients.size).toBe(3);
    for (const c of clients) {
      expect(pingExchange(segs.filter((x) => x.srcPort === c || x.dstPort === c), server.port)).toEqual(wholeExchange);
    }
    expect(src.stats()[0]!.dropped).toBe(0);
  });

  it('stops by itself after maxFrames, exactly', async () => {
    const src = openLiveCapture({ interfaces: ['lo'], filter: `tcp port ${server.port}`, maxFrames: 3 });
    const { done } = collect(src);
    await getPing(server.port);
    const batches = await done;
    expect(batches.reduce((a, b) => a + b.count, 0)).toBe(3);
    expect(src.stopped).toBe(true);
  });

  it('names the closest interface for an unknown one, and maps lo0 to lo', () => {
    const err = (() => {
      try {
        openLiveCapture({ interfaces: ['lo', 'loo'] });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(UnknownInterfaceError);
    expect((err as UnknownInterfaceError).closest).toBe('lo');
    expect((err as Error).message).toMatch(/^There is no device named "loo" \(closest match: "lo"\)\. Available interfaces: 1\. /);
    const lo0 = openLiveCapture({ interfaces: ['lo0'] });
    expect(lo0.interfaces[0]!.name).toBe('lo');
    expect(lo0.notices).toEqual(['lo0 is the macOS name of the loopback interface; capturing on lo, the loopback interface here']);
    lo0.stop();
  });

  it('reports a capture filter that does not compile', () => {
    let err: unknown;
    try {
      openLiveCapture({ interfaces: ['lo'], filter: 'tcp port' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LiveCaptureError);
    expect(err).toMatchObject({ code: 'bad-filter' });
    expect((err as Error).message).toMatch(/^Invalid capture filter "tcp port" for interface 'lo': /);
  });
});
