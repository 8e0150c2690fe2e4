/**
 * The public capture corpus against TShark 4.0.17's field dump (oracle/<file>.fields.tsv):
 * frame count, frame.len (original length) and frame.time_epoch (nanosecond digits) per frame.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCaptureFile } from '../src/node.js';
import { framesOf, readBytes, type Frame } from './util.js';

const CORPUS = '/work/shared/captures/public';
const exists = existsSync(join(CORPUS, 'oracle'));
if (!exists) console.warn(`capture corpus tests skipped: ${CORPUS}/oracle not found (shared corpus not mounted)`);

const files = exists ? readdirSync(CORPUS).filter((f) => /\.(pcap|pcapng|gz)$/.test(f)).sort() : [];

interface OracleRow {
  number: number;
  len: number;
  time: string;
}

function oracle(file: string): OracleRow[] {
  const lines = readFileSync(join(CORPUS, 'oracle', `${file}.fields.tsv`), 'utf8').split('\n');
  const header = lines[0]!.split('\t');
  expect(header.slice(0, 3)).toEqual(['frame.number', 'frame.len', 'frame.time_epoch']);
  return lines
    .slice(1)
    .filter((l) => l.length > 0)
    .map((l) => {
      const c = l.split('\t');
      return { number: Number(c[0]), len: Number(c[1]), time: c[2]! };
    });
}

async function readFile(path: string) {
  const src = await openCaptureFile(path);
  const frames: Frame[] = [];
  for await (const b of src) frames.push(...framesOf(b));
  return { src, frames };
}

// Skipped, with the warning above, where the shared corpus is not available.
describe.skipIf(!exists)('public corpus vs tshark 4.0.17', () => {
  it('has captures', () => expect(files.length).toBeGreaterThan(40));

  for (const file of files) {
    it(file, async () => {
      const { src, frames } = await readFile(join(CORPUS, file));
      const want = oracle(file);
      expect(frames.length).toBe(want.length);
      expect(frames.map((f) => ({ number: f.number, len: f.origLen, time: f.time }))).toEqual(want);
      expect(src.gzip).toBe(file.endsWith('.gz'));
      if (file === 'zeek_broken_cut-short.pcap') {
        expect(src.truncation).toBeDefined();
        expect(src.truncation!.frame).toBe(71);
        expect(src.truncation!.message).toMatch(/cut short in the middle of a packet \(frame 71 at byte offset \d+\)$/);
      } else {
        expect(src.truncation).toBeUndefined();
      }
    });
  }

  it('zeek_broken_cut-short.pcap: 70 frames, then a truncation warning at the partial record', async () => {
    const { src, frames } = await readFile(join(CORPUS, 'zeek_broken_cut-short.pcap'));
    expect(frames).toHaveLength(70);
    const last = frames[69]!;
    const partialAt = last.fileOffset + 16 + last.capLen;
    expect(src.truncation).toEqual({
      frame: 71,
      offset: partialAt,
      message: `${join(CORPUS, 'zeek_broken_cut-short.pcap')}: file appears to be cut short in the middle of a packet (frame 71 at byte offset ${partialAt})`,
    });
  });

  it('tcpdump_empty.pcap: header only, zero frames, no warning', async () => {
    const { src, frames } = await readFile(join(CORPUS, 'tcpdump_empty.pcap'));
    expect(frames).toHaveLength(0);
    expect(src.format).toBe('pcap');
    expect(src.interfaces).toMatchObject([{ linkType: 1, snaplen: 262144, tsPrecision: 6 }]);
    expect(src.truncation).toBeUndefined();
  });

  it('pcapng-gen_le_test202.pcapng: 3 sections of mixed byte order, custom blocks as frames', async () => {
    const { src, frames } = await readFile(join(CORPUS, 'pcapng-gen_le_test202.pcapng'));
    expect(src.sections.map((s) => s.byteOrder)).toEqual(['le', 'be', 'le']);
    expect([...src.customBlocks.keys()]).toEqual([1, 7, 10]);
    expect(new TextDecoder().decode(frames[0]!.data)).toBe('an example Custom Block\0');
    // SPBs: caplen bounded by the interface snaplen (128) and the block.
    expect(frames[4]).toMatchObject({ origLen: 314, capLen: 128, time: '' });
    expect(src.names.length).toBeGreaterThan(0);
  });

  it('pcapng-gen_le_test008.pcapng: if_tsresol nanoseconds, SHB/IDB comments', async () => {
    const { src, frames } = await readFile(join(CORPUS, 'pcapng-gen_le_test008.pcapng'));
    expect(src.interfaces[0]!.tsPrecision).toBe(9);
    expect(frames[0]!.time).toBe('1340954.905298858');
    expect(src.sectionComments.length).toBeGreaterThan(0);
    expect(src.interfaces.some((i) => i.comments.length > 0)).toBe(true);
  });

  it('pcapng-gen_le_test009.pcapng: packet comments by frame number', async () => {
    const { src } = await readFile(join(CORPUS, 'pcapng-gen_le_test009.pcapng'));
    expect(src.frameComments.size).toBeGreaterThan(0);
    for (const [n, c] of src.frameComments) {
      expect(n).toBeGreaterThanOrEqual(1);
      expect(c.length).toBeGreaterThan(0);
    }
  });

  it('reads every capture identically 1, 7 and 4096 bytes at a time', () => {
    for (const file of files.filter((f) => !f.endsWith('.gz') && !f.startsWith('http_espn'))) {
      const bytes = new Uint8Array(readFileSync(join(CORPUS, file)));
      const whole = readBytes(bytes);
      for (const chunk of [1, 7, 4096]) {
        const r = readBytes(bytes, chunk);
        expect(r.frames, `${file} in ${chunk}-byte chunks`).toEqual(whole.frames);
        expect(r.reader.truncation).toEqual(whole.reader.truncation);
        expect(r.reader.frameComments).toEqual(whole.reader.frameComments);
      }
    }
  });
});
