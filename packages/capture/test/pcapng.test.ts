/** pcapng files built byte by byte: sections of both byte orders, every block type, errors. */
import { describe, expect, it } from 'vitest';
import { FLAG_CUSTOM_BLOCK, FLAG_NO_TIMESTAMP, INTERFACE_NONE, LINKTYPE_NONE } from '../src/batch.js';
import { CaptureFormatError } from '../src/errors.js';
import { CaptureReader, detectFormat } from '../src/reader.js';
import { block, concat, custom, dsb, epb, idb, isb, nrb, payload, pb, shb, spb, text, u64, u8 } from './build.js';
import { readBytes, thrown } from './util.js';

const NS = 1_700_000_000_123_456_789n;

/** Three sections: LE, BE, LE; every block type; comments; tsresol 6 / 9 / 2^-10; tsoffset. */
function sample(): Uint8Array {
  const s1 = concat(
    shb(true, [[1, 'first section'], [2, 'x86_64'], [3, 'Linux 6.1'], [4, 'reef-test'], [1, 'second shb comment']]),
    idb(true, 1, 0, [[2, 'eth0'], [3, 'Ethernet adapter'], [11, concat(u8(0), text('tcp port 80'))], [1, 'uplink']]),
    idb(true, 101, 65535, [[2, 'raw0'], [9, u8(9)], [14, u64(true, 3600n)]]),
    epb(true, 0, 1_700_000_000_654_321n, payload(60, 1), 60, [[1, 'first packet'], [2, u64(true, 0n).subarray(0, 4)], [1, 'again']]),
    epb(true, 1, NS, payload(41, 2), 1500),
    nrb(true, [
      [1, [192, 168, 1, 2], ['example.com', 'www.example.com']],
      [2, [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], ['v6.example']],
    ]),
    isb(true, 0, 1_700_000_001_000_000n, [[4, u64(true, 1000n)], [5, u64(true, 7n)]]),
    dsb(true, 0x544c534b, text('CLIENT_RANDOM 00 11\n')),
    custom(true, true, 32473, text('custom!!')),
    block(true, 0x12345, (w) => w.u32(1).u32(2)), // unknown: skipped
    pb(true, 0, 1_700_000_002_000_000n, payload(33, 3), 33, [[1, 'obsolete block']]),
  );
  const s2 = concat(
    shb(false, [[1, 'big endian']]),
    idb(false, 1, 128, [[9, u8(0x8a)]]),
    spb(false, 314, payload(128, 4)),
    epb(false, 0, 1024n * 5n + 512n, payload(20, 5)),
    custom(false, false, 1, text('no copy')),
  );
  const s3 = concat(
    shb(true),
    idb(true, 1, 0, [[9, u8(9)], [14, u64(true, -1n)]]),
    spb(true, 1000, payload(50, 6)),
    epb(true, 0, NS, payload(10, 7)),
  );
  return concat(s1, s2, s3);
}

describe('pcapng', () => {
  const bytes = sample();

  it('is detected by the SHB magic', () => {
    expect(detectFormat(bytes)).toBe('pcapng');
    expect(detectFormat(Uint8Array.of(0x1f, 0x8b))).toBe('gzip');
    expect(detectFormat(Uint8Array.of(1, 2, 3))).toBeUndefined();
  });

  it('reads frames across sections of different byte order, numbered continuously', () => {
    const { reader, frames } = readBytes(bytes);
    expect(reader.format).toBe('pcapng');
    const rows = frames.map((f) => [f.number, f.iface, f.linkType, f.capLen, f.origLen, f.time, f.flags]);
    expect(rows).toEqual([
      [1, 0, 1, 60, 60, '1700000000.654321000', 6],
      [2, 1, 101, 41, 1500, '1700003600.123456789', 9], // + if_tsoffset 3600 s
      [3, INTERFACE_NONE, LINKTYPE_NONE, 8, 8, '', FLAG_CUSTOM_BLOCK | FLAG_NO_TIMESTAMP],
      [4, 0, 1, 33, 33, '1700000002.000000000', 6], // obsolete Packet Block
      [5, 2, 1, 128, 314, '', 4 | FLAG_NO_TIMESTAMP], // SPB: min(origlen 314, snaplen 128, room 128)
      [6, 2, 1, 20, 20, '5.500000000', 4], // 2^-10 resolution -> 4 digits
      [7, INTERFACE_NONE, LINKTYPE_NONE, 7 + 1, 8, '', FLAG_CUSTOM_BLOCK | FLAG_NO_TIMESTAMP], // body is padded
      [8, 3, 1, 52, 1000, '', 9 | FLAG_NO_TIMESTAMP], // SPB, snaplen 0: bounded by the (padded) block
      [9, 3, 1, 10, 10, '1699999999.123456789', 9], // if_tsoffset -1 s
    ]);
    expect(frames[0]!.data).toEqual(payload(60, 1));
    expect(frames[2]!.data).toEqual(text('custom!!'));
    expect(frames[4]!.data).toEqual(payload(128, 4));
    expect(reader.truncation).toBeUndefined();
  });

  it('exposes sections, interfaces, comments, names, statistics, secrets and custom blocks', () => {
    const { reader } = readBytes(bytes);
    expect(reader.sections).toMatchObject([
      { byteOrder: 'le', versionMajor: 1, versionMinor: 0, offset: 0, hardware: 'x86_64', os: 'Linux 6.1', userAppl: 'reef-test' },
      { byteOrder: 'be', comments: ['big endian'] },
      { byteOrder: 'le', comments: [] },
    ]);
    expect(reader.sectionComments).toEqual(['first section', 'second shb comment', 'big endian']);
    expect(reader.interfaces.map((i) => [i.id, i.section, i.localId, i.linkType, i.snaplen, i.tsPrecision, i.tsOffset])).toEqual([
      [0, 0, 0, 1, 0, 6, 0],
      [1, 0, 1, 101, 65535, 9, 3600],
      [2, 1, 0, 1, 128, 4, 0],
      [3, 2, 0, 1, 0, 9, -1],
    ]);
    expect(reader.interfaces[0]).toMatchObject({
      name: 'eth0',
      description: 'Ethernet adapter',
      filter: 'tcp port 80',
      comments: ['uplink'],
      stats: { received: 1000, dropped: 7 },
    });
    expect(reader.interfaces[1]!.tsResol).toBe(9);
    expect(reader.interfaces[2]!.tsResol).toBe(0x8a);
    expect(reader.frameComments).toEqual(
      new Map([
        [1, ['first packet', 'again']],
        [4, ['obsolete block']],
      ]),
    );
    expect(reader.names).toEqual([
      { type: 'ipv4', address: '192.168.1.2', names: ['example.com', 'www.example.com'] },
      { type: 'ipv6', address: '2001:db8::1', names: ['v6.example'] },
    ]);
    expect(reader.secrets).toEqual([{ type: 0x544c534b, data: text('CLIENT_RANDOM 00 11\n'), beforeFrame: 3 }]);
    expect(reader.customBlocks).toEqual(
      new Map([
        [3, { pen: 32473, copyable: true }],
        [7, { pen: 1, copyable: false }],
      ]),
    );
  });

  it("customBlocks: 'skip' leaves custom blocks out of the numbering", () => {
    const { frames, reader } = readBytes(bytes, bytes.length, { customBlocks: 'skip' });
    expect(frames).toHaveLength(7);
    expect(frames.every((f) => !(f.flags & FLAG_CUSTOM_BLOCK))).toBe(true);
    expect(reader.customBlocks.size).toBe(0);
  });

  it('gives identical results fed 1, 7 and 4096 bytes at a time', () => {
    const whole = readBytes(bytes);
    for (const chunk of [1, 7, 4096, 13, 100]) {
      const r = readBytes(bytes, chunk);
      expect(r.frames).toEqual(whole.frames);
      expect(r.reader.frameComments).toEqual(whole.reader.frameComments);
      expect(r.reader.interfaces).toEqual(whole.reader.interfaces);
      expect(r.reader.secrets).toEqual(whole.reader.secrets);
    }
  });

  it('file offsets point at each packet block', () => {
    const { frames } = readBytes(bytes);
    const dv = new DataView(bytes.buffer, bytes.byteOffset);
    for (const f of frames) {
      const type = dv.getUint32(f.fileOffset, true);
      expect([6, 2, 3, 0xbad, 0x40000bad].some((t) => t === type || t === dv.getUint32(f.fileOffset, false))).toBe(true);
    }
  });

  it('an empty section (SHB + IDB only) is zero frames, no warning', () => {
    const { frames, reader } = readBytes(concat(shb(false), idb(false, 1, 0)));
    expect(frames).toEqual([]);
    expect(reader.truncation).toBeUndefined();
    expect(reader.interfaces).toHaveLength(1);
  });

  it('cut short inside a packet block: whole frames first, then a warning', () => {
    const head = concat(shb(true), idb(true, 1, 0), epb(true, 0, 1n, payload(60)));
    const cut = concat(head, epb(true, 0, 2n, payload(100)).subarray(0, 50));
    for (const chunk of [1, 7, 4096]) {
      const { frames, reader } = readBytes(cut, chunk, { name: 'cut.pcapng' });
      expect(frames).toHaveLength(1);
      expect(reader.truncation).toEqual({
        frame: 2,
        offset: head.length,
        message: `cut.pcapng: file appears to be cut short in the middle of a packet (frame 2 at byte offset ${head.length})`,
      });
    }
    const inIsb = concat(head, isb(true, 0, 1n).subarray(0, 10));
    expect(readBytes(inIsb, 7, { name: 'i' }).reader.truncation?.message).toBe(
      `i: file appears to be cut short in the middle of a block (block at byte offset ${head.length})`,
    );
  });
});

describe('pcapng errors', () => {
  const head = concat(shb(true), idb(true, 1, 0));
  const at = head.length;

  function error(bytes: Uint8Array, chunk = 4096): CaptureFormatError {
    const e = thrown(() => readBytes(bytes, chunk, { name: 'bad.pcapng' }));
    expect(e).toBeInstanceOf(CaptureFormatError);
    return e as CaptureFormatError;
  }

  it('block length not a multiple of 4', () => {
    const e = error(concat(head, block(true, 5, (w) => w.u32(0).u32(0).u32(0), [], { length: 30 })));
    expect(e).toMatchObject({ code: 'bad-block-length', offset: at, frame: undefined });
    expect(e.message).toBe(`bad.pcapng: corrupt pcapng block at byte offset ${at}: block length 30 is not a multiple of 4`);
  });

  it('block length below 12, on a packet block names the frame', () => {
    const bad = concat(head, epb(true, 0, 1n, payload(4)), block(true, 6, () => {}, [], { length: 8 }));
    const e = error(bad, 7);
    expect(e).toMatchObject({ code: 'bad-block-length', offset: at + 36, frame: 2 });
    expect(e.message).toBe(`bad.pcapng: corrupt pcapng block at byte offset ${at + 36} (frame 2): block length 8 is less than 12`);
  });

  it('trailing block length mismatch', () => {
    const e = error(concat(head, isb(true, 0, 1n).map((x, i, a) => (i === a.length - 4 ? x + 4 : x))));
    expect(e).toMatchObject({ code: 'bad-block-length', offset: at });
    expect(e.message).toBe(`bad.pcapng: corrupt pcapng block at byte offset ${at}: trailing block length 28 does not match the block length 24`);
  });

  it('huge captured length: rejected from the first 28 bytes, without allocating', () => {
    const huge = block(true, 6, (w) => w.u32(0).u32(0).u32(0).u32(0x7fffffff).u32(60), [], { length: 1 << 20 });
    const r = new CaptureReader({ name: 'bad.pcapng' });
    r.push(head);
    const before = process.memoryUsage().arrayBuffers;
    const e = thrown(() => r.push(huge.subarray(0, 28))) as CaptureFormatError;
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1 << 20);
    expect(e).toMatchObject({ code: 'bad-caplen', offset: at, frame: 1 });
    expect(e.message).toBe(`bad.pcapng: corrupt pcapng block at byte offset ${at} (frame 1): captured length 2147483647 exceeds the maximum of 262144`);
  });

  it('huge block length: rejected from the block header', () => {
    const e = error(concat(head, Uint8Array.of(5, 0, 0, 0, 0xf0, 0xff, 0xff, 0xff, 0, 0, 0, 0)));
    expect(e).toMatchObject({ code: 'block-too-large', offset: at });
    expect(e.message).toBe(`bad.pcapng: corrupt pcapng block at byte offset ${at}: block length 4294967280 exceeds the maximum of 16777216`);
  });

  it('captured length larger than its block', () => {
    const e = error(concat(head, block(true, 6, (w) => w.u32(0).u32(0).u32(0).u32(100).u32(100))));
    expect(e.message).toBe(`bad.pcapng: corrupt pcapng block at byte offset ${at} (frame 1): captured length 100 does not fit in a block of 32 bytes`);
  });

  it('packet on an interface the section does not have', () => {
    const e = error(concat(head, epb(true, 1, 1n, payload(4))));
    expect(e).toMatchObject({ code: 'unknown-interface', frame: 1 });
    expect(e.message).toBe(`bad.pcapng: corrupt pcapng block at byte offset ${at} (frame 1): packet on interface 1, but the section has 1`);
    // Interfaces do not carry over into the next section.
    expect(error(concat(head, shb(true), spb(true, 4, payload(4)))).code).toBe('unknown-interface');
  });

  it('bad byte-order magic and unsupported version', () => {
    const s = shb(true);
    s.set([1, 2, 3, 4], 8);
    expect(error(s).message).toBe('bad.pcapng: corrupt pcapng block at byte offset 0: section header with unknown byte-order magic 0x04030201');
    expect(error(shb(false, [], [2, 0])).message).toBe('bad.pcapng: corrupt pcapng block at byte offset 0: unsupported pcapng version 2.0');
  });
});
