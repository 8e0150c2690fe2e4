/** Node sources: regular files, gzip (by magic), FIFOs, streams, stdin, errors. */
import { execFileSync, spawn } from 'node:child_process';
import { ReadStream, closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureFormatError } from '../src/errors.js';
import { openCaptureFile, openCaptureStream } from '../src/node.js';
import type { PacketSource } from '../src/types.js';
import { concat, epb, idb, payload, pcapFile, pcapRecord, shb } from './build.js';
import { framesOf, readBytes, type Frame } from './util.js';

// Lets the memory test collect garbage before measuring (gc() in a new context sees the flag).
setFlagsFromString('--expose-gc');

const dir = mkdtempSync(join(tmpdir(), 'reef-capture-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

async function drain(src: PacketSource): Promise<Frame[]> {
  const out: Frame[] = [];
  for await (const b of src) out.push(...framesOf(b));
  return out;
}

const records = Array.from({ length: 300 }, (_, i) => ({ sec: 1_600_000_000 + i, frac: i, data: payload(20 + (i % 90), i) }));
const pcap = pcapFile({ records });
const expected = readBytes(pcap).frames;
const ng = concat(shb(true, [[1, 'hello']]), idb(true, 1, 0), ...records.map((r, i) => epb(true, 0, BigInt(r.sec) * 1_000_000n, r.data, r.data.length, i === 5 ? [[1, 'c']] : [])));

describe('openCaptureFile', () => {
  it('reads a regular file in chunks, records spanning reads included', async () => {
    const p = file('a.pcap', pcap);
    for (const chunkSize of [7, 100, 1 << 20]) {
      const src = await openCaptureFile(p, { chunkSize });
      expect(src.format).toBe('pcap');
      expect(src.gzip).toBe(false);
      expect(src.name).toBe(p);
      expect(src.interfaces).toHaveLength(1);
      expect(await drain(src)).toEqual(expected);
      expect(src.truncation).toBeUndefined();
      expect(src.frameCount).toBe(300);
    }
  });

  it('detects gzip by magic, not by name, and decompresses while streaming', async () => {
    const p = file('compressed.pcapng', gzipSync(ng));
    const src = await openCaptureFile(p, { chunkSize: 64 });
    expect(src.gzip).toBe(true);
    expect(src.format).toBe('pcapng');
    const frames = await drain(src);
    expect(frames).toEqual(readBytes(ng).frames); // offsets are into the decompressed stream
    expect(src.sectionComments).toEqual(['hello']);
    expect(src.frameComments.get(6)).toEqual(['c']);
    const plain = await openCaptureFile(file('plain.pcap.gz', pcap));
    expect(plain.gzip).toBe(false);
    await plain.close();
  });

  it('gzip cut short: whole frames, then a truncation warning', async () => {
    const gz = gzipSync(pcap);
    const src = await openCaptureFile(file('cut.pcap.gz', gz.subarray(0, gz.length - 40)));
    const frames = await drain(src);
    expect(frames.length).toBeGreaterThan(200);
    expect(frames).toEqual(expected.slice(0, frames.length));
    expect(src.truncation?.frame).toBe(frames.length + 1);
    expect(src.truncation?.message).toMatch(/cut short in the middle of/);
  });

  it('corrupt gzip data is a CaptureFormatError', async () => {
    const gz = gzipSync(pcap);
    gz.fill(0x55, 200, 260);
    // Depending on where the damage is, open() or iteration fails.
    const run = async () => drain(await openCaptureFile(file('bad.gz', gz)));
    await expect(run()).rejects.toMatchObject({ name: 'CaptureFormatError', code: 'gzip' });
    await expect(run()).rejects.toThrow(/bad\.gz: corrupt gzip data at decompressed byte offset \d+: /);
  });

  it('reads a FIFO as a stream while a child process writes it', async () => {
    const fifo = join(dir, 'live.fifo');
    execFileSync('mkfifo', [fifo]);
    const src0 = file('fifo-src.pcapng', ng);
    // The child writes in small pieces with pauses, as a live capture would.
    const script = `const fs=require('fs');const d=fs.readFileSync(${JSON.stringify(src0)});const fd=fs.openSync(${JSON.stringify(fifo)},'w');
      let i=0;const t=setInterval(()=>{if(i>=d.length){clearInterval(t);fs.closeSync(fd);return;}fs.writeSync(fd,d.subarray(i,i+997));i+=997;},1);`;
    const child = spawn(process.execPath, ['-e', script], { stdio: 'inherit' });
    // Listen before reading: the writer may well have exited by the time the drain ends.
    const exited = new Promise((r) => child.once('exit', r));
    const src = await openCaptureFile(fifo);
    expect(src.format).toBe('pcapng');
    expect(await drain(src)).toEqual(readBytes(ng).frames);
    await exited;
  });

  it("'-' reads standard input", async () => {
    const stdin = Object.getOwnPropertyDescriptor(process, 'stdin')!;
    const fake = Readable.from([pcap.subarray(0, 3), pcap.subarray(3)].map((b) => Buffer.from(b)));
    Object.defineProperty(process, 'stdin', { value: fake, configurable: true });
    try {
      const src = await openCaptureFile('-');
      expect(src.name).toBe('-');
      expect(await drain(src)).toEqual(expected);
    } finally {
      Object.defineProperty(process, 'stdin', stdin);
    }
  });

  it("'-' reads a file redirected to standard input (< FILE) in large chunks", async () => {
    const stdin = Object.getOwnPropertyDescriptor(process, 'stdin')!;
    // What Node makes process.stdin when fd 0 is a regular file: a ReadStream on the descriptor.
    const fd = openSync(file('stdin.pcap', pcap), 'r');
    const asFile = new ReadStream('', { fd, autoClose: false, highWaterMark: 64 });
    Object.defineProperty(process, 'stdin', { value: asFile, configurable: true });
    try {
      const src = await openCaptureFile('-', { chunkSize: 1 << 20 });
      expect(src.name).toBe('-');
      expect(await drain(src)).toEqual(expected);
      expect(asFile.bytesRead).toBe(0); // read through its descriptor, not 64 bytes at a time
    } finally {
      Object.defineProperty(process, 'stdin', stdin);
      closeSync(fd);
    }
  });

  it('rejects a non-capture at open with the tshark-style message', async () => {
    const p = file('notes.txt', new TextEncoder().encode('just some text'));
    await expect(openCaptureFile(p)).rejects.toThrow(new CaptureFormatError('not-a-capture', p, 0, 'not a pcap or pcapng file (magic 0x6a757374)'));
    await expect(openCaptureFile(p)).rejects.toThrow(`${p}: not a pcap or pcapng file (magic 0x6a757374)`);
    const e = file('empty.pcap', new Uint8Array(0));
    await expect(openCaptureFile(e)).rejects.toThrow(`${e}: empty file, not a pcap or pcapng file`);
    await expect(openCaptureFile(join(dir, 'missing.pcap'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a corrupt record: the frames before it, then the error', async () => {
    const bad = concat(pcap, pcapRecord(true, { sec: 1, frac: 0, data: new Uint8Array(0), capLen: 1 << 30 }));
    const src = await openCaptureFile(file('corrupt.pcap', bad), { chunkSize: 4096 });
    const frames: Frame[] = [];
    const err = await (async () => {
      try {
        for await (const b of src) frames.push(...framesOf(b));
      } catch (e) {
        return e as CaptureFormatError;
      }
    })();
    expect(frames).toEqual(expected);
    expect(err).toMatchObject({ code: 'bad-caplen', offset: pcap.length, frame: 301 });
  });

  it('closes on early exit and iterates once', async () => {
    const src = await openCaptureFile(file('b.pcap', pcap), { maxBatchFrames: 10, chunkSize: 100 });
    for await (const b of src) {
      expect(b.count).toBe(10);
      break;
    }
    await src.close();
    await expect(drain(src)).rejects.toThrow(/only once/);
  });

  it('keeps memory bounded on a large file', async () => {
    // ~48 MiB of 1 KiB frames; the reader should hold a few chunks and batches at a time.
    const big = join(dir, 'big.pcap');
    const rec = pcapRecord(true, { sec: 1, frac: 2, data: payload(1024) });
    const part = concat(...Array.from({ length: 4096 }, () => rec));
    writeFileSync(big, pcapFile({ records: [] }));
    for (let i = 0; i < 12; i++) writeFileSync(big, part, { flag: 'a' });
    // What the reader retains, not garbage awaiting collection (whose amount is V8's choice).
    const gc = runInNewContext('gc') as () => void;
    gc();
    const base = process.memoryUsage().arrayBuffers;
    let peak = 0;
    let n = 0;
    for await (const b of await openCaptureFile(big)) {
      n += b.count;
      gc();
      peak = Math.max(peak, process.memoryUsage().arrayBuffers - base);
    }
    expect(n).toBe(12 * 4096);
    expect(peak).toBeLessThan(24 << 20);
  });
});

describe('openCaptureStream', () => {
  it('reads one byte at a time from a stream', async () => {
    const bytes = Array.from(ng, (x) => Buffer.of(x));
    const src = await openCaptureStream(Readable.from(bytes), 'bytes');
    expect(await drain(src)).toEqual(readBytes(ng).frames);
  });

  it("reads a child process's stdout, gzip included", async () => {
    const p = file('child.pcap.gz', gzipSync(pcap));
    const child = spawn('cat', [p], { stdio: ['ignore', 'pipe', 'inherit'] });
    const src = await openCaptureStream(child.stdout, 'child');
    expect(src.gzip).toBe(true);
    expect(await drain(src)).toEqual(expected);
  });

  it('a stream cut short mid-record warns after the whole frames', async () => {
    const s = new PassThrough();
    s.end(Buffer.from(pcap.subarray(0, pcap.length - 3)));
    const src = await openCaptureStream(s, 'pipe');
    expect(await drain(src)).toEqual(expected.slice(0, 299));
    expect(src.truncation).toMatchObject({ frame: 300, offset: expected[299]!.fileOffset });
    expect(src.truncation!.message).toBe(`pipe: file appears to be cut short in the middle of a packet (frame 300 at byte offset ${expected[299]!.fileOffset})`);
  });

  it('an empty stream is an empty-file error', async () => {
    await expect(openCaptureStream(Readable.from([]), '-')).rejects.toMatchObject({ code: 'empty-file', message: '-: empty file, not a pcap or pcapng file' });
  });
});
