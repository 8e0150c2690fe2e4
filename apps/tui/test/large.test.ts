/**
 * Large files: frames loaded in slices (a small first one for the first screen), and a store
 * that keeps only metadata and file offsets, reading bytes back from the file, gives the
 * dissector exactly what a store keeping every byte gives it. On a 20,000-frame capture made
 * by the benchmark generator (more batches than the store keeps read back).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrameFile, frameBytes, openCaptureFile } from '@reef/capture';
import { loadDissector, type FrameBatchLike, type Session } from '@reef/dissect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexList, testFrames } from '../src/state/display-list.js';
import { FrameStore } from '../src/state/frame-store.js';
import { FIRST_SLICE_FRAMES, loadCapture, SLICE_FRAMES } from '../src/state/loader.js';

const FRAMES = 20_000;
const dir = mkdtempSync(join(tmpdir(), 'reef-large-'));
const file = join(dir, 'gen.pcap');

async function load(store: FrameStore, session: Session): Promise<number[]> {
  const seen: number[] = [];
  await loadCapture({ source: await openCaptureFile(file), store, ingest: (b) => session.ingest(b), onProgress: (p) => seen.push(p.frames) });
  return seen;
}

describe('a large capture', () => {
  let kept: FrameStore;
  let reread: FrameStore;
  let session: Session;
  let progress: number[];

  beforeAll(async () => {
    execFileSync(process.execPath, [join(__dirname, '../../../bench/generate-capture.mjs'), '--packets', String(FRAMES), '--out', file], { stdio: 'ignore' });
    const dissector = await loadDissector();
    session = dissector.openSession();
    kept = new FrameStore();
    await load(kept, dissector.openSession());
    reread = new FrameStore(new FrameFile(file, 'pcap'));
    progress = await load(reread, session);
  }, 60_000);

  afterAll(() => {
    reread?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is ingested in slices, the first one small', () => {
    expect(progress[0]).toBe(FIRST_SLICE_FRAMES);
    expect(progress[1]! - progress[0]!).toBeLessThanOrEqual(SLICE_FRAMES);
    expect(progress.at(-1)).toBe(FRAMES);
    expect(progress.length).toBeGreaterThan(FRAMES / SLICE_FRAMES);
    expect(reread.count).toBe(FRAMES);
    expect(reread.rereads).toBe(true);
  });

  it('reads every frame back as it was, in any order, and keeps no bytes for the others', () => {
    const all = [...reread.all()];
    expect(all.every((b) => b.data.length > 0)).toBe(true);
    expect([...reread.metadata()].filter((b) => b.data.length > 0)).toHaveLength(0);
    // The metadata kept reads back exactly as the reader made it.
    expect([...reread.metadata()].map((b) => [...b.meta].filter((_, k) => k % 10 !== 1))).toEqual([...kept.metadata()].map((b) => [...b.meta].filter((_, k) => k % 10 !== 1)));
    for (const index of [FRAMES - 1, 0, 12_345, 3, FRAMES - 2, 7_000]) {
      expect(reread.bytes(index)).toEqual(kept.bytes(index));
      // What the core gets back for a reassembled PDU, without going through the screen's cache.
      expect(reread.handBack(index)).toEqual(kept.bytes(index));
      expect(kept.handBack(index)).toEqual(kept.bytes(index));
      expect(reread.frameNumber(index)).toBe(index + 1);
    }
    let n = 0;
    for (const [a, b] of zip(reread.all(), kept.all())) {
      for (let i = 0; i < a.count; i++) if (!equal(frameBytes(a, i), frameBytes(b, i))) expect.fail(`frame ${a.meta[i * 10]} differs`);
      n += a.count;
    }
    expect(n).toBe(FRAMES);
  });

  it('gives the same rows, details and filter results as the bytes kept in memory', () => {
    const rowsOf = (store: FrameStore, first: number) => store.spans(first, 60).flatMap((s) => session.rows(s.batch, s.start, s.count));
    expect(rowsOf(reread, 9_990)).toEqual(rowsOf(kept, 9_990));
    const one = reread.frame(15_000)!;
    const other = kept.frame(15_000)!;
    expect(session.dissect(one.batch, one.i).tree).toEqual(session.dissect(other.batch, other.i).tree);
    session.setDisplayFilter('dns || tcp.flags.reset == 1');
    const pass = (store: FrameStore) => store.spans(0, FRAMES).flatMap((s) => [...session.filterFrames(s.batch, s.start, s.count)]);
    const want = pass(kept);
    expect(pass(reread)).toEqual(want);
    expect(want.filter((b) => b === 1).length).toBeGreaterThan(1000);
    // The filter bar's pass: judged from metadata first, the rest read back into one reused
    // buffer. Same frames, and the batches cached for the screen are still the same ones.
    const screen = reread.spans(9_990, 60);
    const judged = new IndexList();
    const test = (b: FrameBatchLike, s: number, n: number) => session.filterFrames(b, s, n);
    testFrames(reread, test, 0, FRAMES, judged, (b, s, n) => session.prejudgeFrames(b, s, n));
    expect(Array.from({ length: judged.length }, (_, i) => judged.at(i))).toEqual(want.flatMap((b, i) => (b === 1 ? [i] : [])));
    expect(reread.spans(9_990, 60).map((s) => s.batch)).toEqual(screen.map((s) => s.batch));
    expect(reread.spans(9_990, 60)[0]!.batch).toBe(screen[0]!.batch);
    // A stream's filter settles most batches without reading them.
    session.setDisplayFilter('tcp.stream eq 3');
    const [settled, total] = reread.metaSpans(0, FRAMES).reduce(([a, t], m) => [a + Number(!session.prejudgeFrames(m.batch, m.start, m.count).includes(2)), t + 1], [0, 0]);
    expect(settled / total).toBeGreaterThan(0.5);
  });

  it('lists frames it can no longer read back as empty, and says why', () => {
    truncateSync(file, 1000);
    const ref = reread.frame(100)!;
    expect(ref.batch.meta[ref.i * 10]).toBe(101);
    expect(frameBytes(ref.batch, ref.i)).toHaveLength(0);
    expect(reread.readError).toMatch(/frame \d+ is no longer in the file/);
    expect(session.rows(ref.batch, ref.i, 1)).toHaveLength(1);
  });
});

function* zip<A, B>(a: Iterable<A>, b: Iterable<B>): Generator<[A, B]> {
  const ib = b[Symbol.iterator]();
  for (const x of a) yield [x, ib.next().value as B];
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, k) => x === b[k]);
}
