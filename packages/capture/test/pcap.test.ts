/** libpcap files built byte by byte: both byte orders, usec/nsec, header fields, errors. */
import { describe, expect, it } from 'vitest';
import { CaptureFormatError } from '../src/errors.js';
import { CaptureReader, detectFormat } from '../src/reader.js';
import { concat, payload, pcapFile, pcapHeader, pcapRecord } from './build.js';
import { readBytes, thrown } from './util.js';

const records = [
  { sec: 1_700_000_000, frac: 123_456, data: payload(60, 1) },
  { sec: 1_700_000_001, frac: 999_999, data: payload(1514, 2), origLen: 1514 },
  { sec: 4_000_000_000, frac: 0, data: payload(96, 3), origLen: 1500 }, // past 2038: unsigned seconds
];

describe('pcap', () => {
  for (const le of [true, false]) {
    it(`reads a ${le ? 'little' : 'big'}-endian microsecond file`, () => {
      const bytes = pcapFile({ le, records, snaplen: 65535, linkField: 1 });
      expect(detectFormat(bytes)).toBe('pcap');
      const { reader, frames } = readBytes(bytes);
      expect(reader.format).toBe('pcap');
      expect(reader.interfaces).toEqual([
        { id: 0, section: 0, localId: 0, linkType: 1, snaplen: 65535, tsPrecision: 6, tsResol: 6, tsOffset: 0, comments: [] },
      ]);
      expect(frames.map((f) => [f.number, f.time, f.capLen, f.origLen, f.linkType, f.iface, f.flags])).toEqual([
        [1, '1700000000.123456000', 60, 60, 1, 0, 6],
        [2, '1700000001.999999000', 1514, 1514, 1, 0, 6],
        [3, '4000000000.000000000', 96, 1500, 1, 0, 6],
      ]);
      expect(frames.map((f) => f.fileOffset)).toEqual([24, 24 + 16 + 60, 24 + 16 + 60 + 16 + 1514]);
      expect(frames[1]!.data).toEqual(payload(1514, 2));
      expect(reader.truncation).toBeUndefined();
    });

    it(`reads a ${le ? 'little' : 'big'}-endian nanosecond file`, () => {
      const bytes = pcapFile({ le, nsec: true, records: [{ sec: 1_418_145_369, frac: 924_505_488, data: payload(76) }] });
      const { reader, frames } = readBytes(bytes);
      expect(reader.interfaces[0]!.tsPrecision).toBe(9);
      expect(frames.map((f) => [f.time, f.flags])).toEqual([['1418145369.924505488', 9]]);
    });
  }

  it('keeps the FCS bits of the link-type field out of the link type', () => {
    // LINKTYPE_ETHERNET with the FCS-present bit and 2 x 16 bits of FCS.
    const bytes = pcapFile({ linkField: 0x24000001, records: [{ sec: 1, frac: 0, data: payload(64) }] });
    const { reader, frames } = readBytes(bytes);
    expect(reader.interfaces[0]).toMatchObject({ linkType: 1, fcsLen: 4 });
    expect(frames[0]!.linkType).toBe(1);
  });

  it('normalises an out-of-range microsecond field into the seconds', () => {
    const { frames } = readBytes(pcapFile({ records: [{ sec: 10, frac: 2_500_000, data: payload(4) }] }));
    expect(frames[0]!.time).toBe('12.500000000');
  });

  it('header only: zero frames, no error, no warning', () => {
    const { reader, frames } = readBytes(pcapHeader());
    expect(frames).toEqual([]);
    expect(reader.truncation).toBeUndefined();
    expect(reader.interfaces).toHaveLength(1);
  });

  it('zero-length frames are frames', () => {
    const { frames } = readBytes(pcapFile({ records: [{ sec: 1, frac: 0, data: new Uint8Array(0), origLen: 60 }] }));
    expect(frames).toMatchObject([{ number: 1, capLen: 0, origLen: 60 }]);
  });

  it('a file cut short mid-record delivers every whole frame, then a warning', () => {
    const whole = pcapFile({ records });
    const cut = whole.subarray(0, whole.length - 10);
    for (const chunk of [1, 7, 4096]) {
      const { reader, frames } = readBytes(cut, chunk, { name: 'cut.pcap' });
      expect(frames).toHaveLength(2);
      const at = 24 + 16 + 60 + 16 + 1514;
      expect(reader.truncation).toEqual({
        frame: 3,
        offset: at,
        message: `cut.pcap: file appears to be cut short in the middle of a packet (frame 3 at byte offset ${at})`,
      });
    }
    // Cut inside the 16-byte record header too.
    const { reader } = readBytes(whole.subarray(0, 24 + 16 + 60 + 5), 4096, { name: 'c' });
    expect(reader.truncation).toMatchObject({ frame: 2, offset: 100 });
  });

  it('a file cut short inside the file header is a warning, not frames', () => {
    const { reader, frames } = readBytes(pcapHeader().subarray(0, 10), 3, { name: 'h.pcap' });
    expect(frames).toEqual([]);
    expect(reader.truncation?.message).toBe('h.pcap: file appears to be cut short in the middle of the file header (10 of 24 bytes)');
  });

  it('rejects a caplen over 256 KiB before waiting for its bytes', () => {
    const header = pcapRecord(true, { sec: 1, frac: 0, data: new Uint8Array(0), capLen: 0x7fffffff });
    const bytes = concat(pcapFile({ snaplen: 0, records: [{ sec: 1, frac: 0, data: payload(10) }] }), header);
    const before = process.memoryUsage().arrayBuffers;
    const e = thrown(() => readBytes(bytes, 4096, { name: 'big.pcap' })) as CaptureFormatError;
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 << 20);
    expect(e).toBeInstanceOf(CaptureFormatError);
    expect(e).toMatchObject({ code: 'bad-caplen', file: 'big.pcap', offset: 50, frame: 2 });
    expect(e.message).toBe(
      'big.pcap: corrupt pcap record at byte offset 50 (frame 2): captured length 2147483647 exceeds the maximum of 262144',
    );
  });

  it('rejects a caplen over a plausible snaplen, but accepts caplen == snaplen', () => {
    const ok = pcapFile({ snaplen: 96, records: [{ sec: 1, frac: 0, data: payload(96), origLen: 1500 }] });
    expect(readBytes(ok).frames).toHaveLength(1);
    const bad = pcapFile({ snaplen: 96, records: [{ sec: 1, frac: 0, data: payload(97) }] });
    const e = thrown(() => readBytes(bad, 4096, { name: 's.pcap' })) as CaptureFormatError;
    expect(e.message).toBe("s.pcap: corrupt pcap record at byte offset 24 (frame 1): captured length 97 exceeds the file's snapshot length 96");
    // A snaplen above 256 KiB is not trusted as a bound: only the 256 KiB cap applies.
    const loose = pcapFile({ snaplen: 0x7fffffff, records: [{ sec: 1, frac: 0, data: payload(200_000) }] });
    expect(readBytes(loose).frames).toHaveLength(1);
  });

  it('frames before a corrupt record are still delivered', () => {
    const bytes = concat(pcapFile({ records }), pcapRecord(true, { sec: 1, frac: 0, data: new Uint8Array(0), capLen: 300_000 }));
    const reader = new CaptureReader({ name: 'x' });
    expect(() => reader.push(bytes)).toThrow(CaptureFormatError);
    expect(reader.takeBatches()[0]!.count).toBe(3);
    expect(() => reader.push(bytes)).toThrow(/after end\(\) or an error/);
  });

  it('not a capture: names the magic; empty and tiny inputs', () => {
    const e = thrown(() => readBytes(new TextEncoder().encode('hello world'), 4096, { name: 'notes.txt' })) as CaptureFormatError;
    expect(e).toMatchObject({ code: 'not-a-capture', offset: 0, file: 'notes.txt' });
    expect(e.message).toBe('notes.txt: not a pcap or pcapng file (magic 0x68656c6c)');
    const e0 = thrown(() => readBytes(new Uint8Array(0), 1, { name: 'empty' })) as CaptureFormatError;
    expect(e0).toMatchObject({ code: 'empty-file', message: 'empty: empty file, not a pcap or pcapng file' });
    const e2 = thrown(() => readBytes(Uint8Array.of(0xd4, 0xc3), 1, { name: 'tiny' }));
    expect(e2.message).toBe('tiny: not a pcap or pcapng file (only 2 bytes)');
    // Magic split across pushes still detected.
    expect(readBytes(pcapHeader(), 1).reader.format).toBe('pcap');
  });
});
