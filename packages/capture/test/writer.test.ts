/**
 * Writers: every fixture (and every public sample capture, when present) read -> written as
 * pcapng and as pcap -> read again gives the same frames, bytes and timestamps; tshark reads what
 * we write and prints the same lines as for the original.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FLAG_CUSTOM_BLOCK, FLAG_NO_TIMESTAMP, FLAG_PRECISION_MASK } from '../src/batch.js';
import { CaptureWriteError, mulAdd64, ticksOf } from '../src/writer.js';
import { CaptureFileWriter } from '../src/file-writer.js';
import { openCaptureFile } from '../src/node.js';
import type { CaptureFormat, InterfaceInfo, PacketSource } from '../src/types.js';
import { fixtures, fixturesDir, hasTshark, publicCaptures, tshark } from '../../../test-fixtures/lib/paths.js';
import { framesOf, readBytes, type Frame } from './util.js';

const tmp = mkdtempSync(join(tmpdir(), 'reef-writer-'));

async function readAll(path: string): Promise<{ src: PacketSource; frames: Frame[] }> {
  const src = await openCaptureFile(path);
  const frames: Frame[] = [];
  for await (const b of src) frames.push(...framesOf(b));
  return { src, frames };
}

/** Reads `input` and writes it to `out` in `format`, batch by batch, as reef-cli -r -w does. */
async function convert(input: string, out: string, format: CaptureFormat): Promise<void> {
  const src = await openCaptureFile(input, { maxBatchFrames: 7 });
  const w = await CaptureFileWriter.create(out, src, { format, application: 'reef test' }).catch(async (e: unknown) => {
    await src.close();
    throw e;
  });
  try {
    for await (const b of src) await w.write(b, src);
  } finally {
    await w.close(src);
  }
}

/** What a round trip must keep. pcap has no per-frame interface or precision beyond the file's. */
function essentials(frames: Frame[], format: CaptureFormat) {
  return frames
    .filter((f) => !(f.flags & FLAG_CUSTOM_BLOCK))
    .map((f) => ({
      capLen: f.capLen,
      origLen: f.origLen,
      // A Simple Packet Block has no timestamp; written anywhere but on interface 0 it becomes an
      // EPB stamped 0, as in tshark's own conversion.
      time: f.time === '' ? '0.000000000' : f.time,
      linkType: f.linkType,
      data: Buffer.from(f.data).toString('hex'),
      ...(format === 'pcapng' ? { iface: f.iface, precision: f.flags & FLAG_PRECISION_MASK } : {}),
    }));
}

function singleLinkType(interfaces: readonly InterfaceInfo[]): boolean {
  return new Set(interfaces.map((i) => i.linkType)).size === 1;
}

const inputs = [...fixtures(), ...publicCaptures()];

describe('round trip: read -> write -> read keeps frames and timestamps', () => {
  for (const input of inputs) {
    it(`${basename(input)} as pcapng`, async () => {
      const out = join(tmp, `${basename(input)}.rt.pcapng`);
      await convert(input, out, 'pcapng');
      const a = await readAll(input);
      const b = await readAll(out);
      expect(b.src.format).toBe('pcapng');
      expect(essentials(b.frames, 'pcapng')).toEqual(essentials(a.frames, 'pcapng'));
      expect(b.src.interfaces.map((i) => [i.linkType, i.snaplen, i.name, i.tsPrecision, i.filter])).toEqual(
        a.src.interfaces.map((i) => [i.linkType, i.snaplen, i.name, i.tsPrecision, i.filter]),
      );
      expect([...b.src.frameComments.values()]).toEqual([...a.src.frameComments.values()]);
      expect(b.src.sectionComments).toEqual(a.src.sectionComments);
      expect(b.src.secrets.map((s) => Buffer.from(s.data).toString('hex'))).toEqual(a.src.secrets.map((s) => Buffer.from(s.data).toString('hex')));
    });

    it(`${basename(input)} as pcap (or a clear error when it has several link types)`, async () => {
      const out = join(tmp, `${basename(input)}.rt.pcap`);
      const a = await readAll(input);
      const used = new Set(a.frames.filter((f) => !(f.flags & FLAG_CUSTOM_BLOCK)).map((f) => f.linkType));
      if (!singleLinkType(a.src.interfaces) || used.size > 1) {
        const err = await convert(input, out, 'pcap').catch((e: unknown) => e);
        expect(err).toBeInstanceOf(CaptureWriteError);
        expect((err as Error).message).toMatch(/a pcap file holds one link type.*write pcapng instead \(-F pcapng\)/);
        return;
      }
      await convert(input, out, 'pcap');
      const b = await readAll(out);
      expect(b.src.format).toBe('pcap');
      expect(essentials(b.frames, 'pcap')).toEqual(essentials(a.frames, 'pcap'));
    });
  }
});

/** tshark's summary lines of `input` after tshark itself converted it (-F type -w): the oracle for a conversion. */
function tsharkConverted(input: string, type: string): string {
  const out = join(tmp, `${basename(input)}.tshark.${type}`);
  const w = tshark(['-r', input, '-F', type, '-w', out]);
  // 2: the input was cut short; tshark still writes every whole frame, as we do.
  expect([0, 2]).toContain(w.status);
  return tshark(['-n', '-r', out]).stdout;
}

describe.skipIf(!hasTshark)('tshark reads what we write, and sees what it sees in its own conversion', () => {
  for (const input of inputs) {
    it(`${basename(input)}`, async () => {
      const ng = join(tmp, `${basename(input)}.ts.pcapng`);
      await convert(input, ng, 'pcapng');
      const r = tshark(['-n', '-r', ng]);
      expect(r.stderr).toBe('');
      const a = await readAll(input);
      // Frames without a timestamp or custom blocks change in any conversion (tshark's too): then
      // tshark's own conversion is the reference, else the original's lines.
      const changes = a.frames.some((f) => f.flags & (FLAG_CUSTOM_BLOCK | FLAG_NO_TIMESTAMP));
      expect(r.stdout).toBe(changes ? tsharkConverted(input, 'pcapng') : tshark(['-n', '-r', input]).stdout);
      // pcap output against tshark's for the project's fixtures (each tshark run costs about a
      // second; the public captures' pcap round trip is checked by our reader above).
      if (!singleLinkType(a.src.interfaces) || !input.startsWith(fixturesDir)) return;
      const pcap = join(tmp, `${basename(input)}.ts.pcap`);
      await convert(input, pcap, 'pcap');
      const p = tshark(['-n', '-r', pcap]);
      expect(p.stderr).toBe('');
      // We write nanoseconds when the source has them (tshark's "nsecpcap"), else microseconds.
      const nsec = a.src.interfaces.some((i) => i.tsPrecision > 6);
      expect(p.stdout).toBe(tsharkConverted(input, nsec ? 'nsecpcap' : 'pcap'));
      // The largest public captures take tshark several runs of many seconds on a busy machine.
    }, 180_000);
  }
});

describe('encoding details', () => {
  it('writes exact 64-bit tick counts', () => {
    const t = { hi: 0, lo: 0 };
    mulAdd64(0, 1_700_000_000, 1e9, 123_456_789, t);
    expect((BigInt(t.hi) << 32n) + BigInt(t.lo)).toBe(1_700_000_000n * 1_000_000_000n + 123_456_789n);
    ticksOf(0, 1_700_000_000, 999_999_999, 6, t);
    expect((BigInt(t.hi) << 32n) + BigInt(t.lo)).toBe(1_700_000_000_999_999n);
    // 2^-20 s ticks: a reader floors ticks to nanoseconds; writing rounds up and gets the tick back.
    for (const frac of [0, 1, 524_287, 1_048_575]) {
      const nsec = Math.floor((frac * 1e9) / 2 ** 20);
      ticksOf(0, 5, nsec, 0x80 | 20, t);
      expect((BigInt(t.hi) << 32n) + BigInt(t.lo)).toBe(5n * 2n ** 20n + BigInt(frac));
    }
  });

  it('a pcapng with only a header and interfaces is a valid empty capture', async () => {
    const out = join(tmp, 'empty.pcapng');
    const src = { interfaces: [iface(0, 'lo', 1)] };
    const w = await CaptureFileWriter.create(out, src);
    await w.close(src);
    const r = readBytes(readFileSync(out));
    expect(r.frames).toEqual([]);
    expect(r.reader.interfaces.map((i) => [i.name, i.linkType, i.tsPrecision])).toEqual([['lo', 1, 9]]);
  });

  it('refuses pcap for interfaces of different link types before creating the file', async () => {
    const out = join(tmp, 'never.pcap');
    const src = { interfaces: [iface(0, 'lo', 1), iface(1, 'any', 113)] };
    const err = await CaptureFileWriter.create(out, src, { format: 'pcap' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CaptureWriteError);
    expect((err as Error).message).toBe(
      'a pcap file holds one link type, but lo is Ethernet (1) and any is Linux cooked-mode capture v1 (113); write pcapng instead (-F pcapng)',
    );
    expect(() => statSync(out)).toThrow();
  });

  it('writes interface statistics at the end', async () => {
    const out = join(tmp, 'stats.pcapng');
    const lo = iface(0, 'lo', 1);
    const src = { interfaces: [lo] };
    const w = await CaptureFileWriter.create(out, src);
    lo.stats = { received: 7, dropped: 2 };
    await w.close(src);
    expect(readBytes(readFileSync(out)).reader.interfaces[0]!.stats).toEqual({ received: 7, dropped: 2 });
  });
});

function iface(id: number, name: string, linkType: number): InterfaceInfo {
  return { id, section: 0, localId: id, linkType, snaplen: 262144, tsPrecision: 9, tsResol: 9, tsOffset: 0, name, comments: [] };
}
