/**
 * FrameFile: frame bytes read back at their file offsets equal the bytes the reader produced,
 * for pcap and pcapng (EPB, SPB, custom blocks, either byte order) in the fixtures and the
 * public corpus (when mounted).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { frameBytes, META_WORDS } from '../src/batch.js';
import { openCaptureFile } from '../src/node.js';
import { FrameFile } from '../src/reread.js';
import { concat, custom, epb, idb, isb, payload, pb, shb, spb, text } from './build.js';

const FIXTURES = join(__dirname, '../../../test-fixtures/captures');
const CORPUS = '/work/shared/captures/public';
const files = [
  ...readdirSync(FIXTURES).filter((f) => /\.(pcap|pcapng)$/.test(f)).map((f) => join(FIXTURES, f)),
  ...(existsSync(CORPUS) ? readdirSync(CORPUS).filter((f) => /\.(pcap|pcapng)$/.test(f)).map((f) => join(CORPUS, f)) : []),
];

async function check(path: string): Promise<number> {
  const src = await openCaptureFile(path);
  const file = new FrameFile(path, src.format);
  let frames = 0;
  try {
    for await (const batch of src) {
      // Metadata and offsets only, as the TUI keeps them.
      const kept = { count: batch.count, meta: batch.meta.slice(0, batch.count * META_WORDS), fileOffset: batch.fileOffset.slice(0, batch.count) };
      const back = file.read(kept);
      for (let i = 0; i < batch.count; i++) {
        const [a, b] = [frameBytes(back, i), frameBytes(batch, i)];
        if (a.length !== b.length || a.some((x, k) => x !== b[k])) expect.fail(`${path}: frame ${batch.meta[i * META_WORDS]} differs when read back`);
      }
      frames += batch.count;
    }
  } finally {
    file.close();
    await src.close();
  }
  return frames;
}

describe('FrameFile', () => {
  it('reads back every frame of the fixtures and corpus', async () => {
    let total = 0;
    for (const f of files) total += await check(f);
    expect(total).toBeGreaterThan(1000);
  });

  it('reads back every pcapng block kind, in either byte order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reef-reread-'));
    const path = join(dir, 'kinds.pcapng');
    const section = (le: boolean) =>
      concat(
        shb(le),
        idb(le, 1, 0),
        epb(le, 0, 1_700_000_000_000_000n, payload(61, 1)),
        isb(le, 0, 1_700_000_001_000_000n),
        spb(le, 300, payload(47, 2)),
        custom(le, true, 32473, text('custom!')),
        custom(le, false, 1, text('no copy')),
        pb(le, 0, 1_700_000_002_000_000n, payload(33, 3)),
      );
    writeFileSync(path, concat(section(true), section(false), section(true)));
    try {
      expect(await check(path)).toBe(15);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('says so when the file no longer holds a frame', () => {
    const path = join(FIXTURES, 'dns.pcap');
    const file = new FrameFile(path, 'pcap');
    const meta = new Uint32Array(META_WORDS);
    meta[0] = 7;
    meta[2] = 100;
    expect(() => file.read({ count: 1, meta, fileOffset: Float64Array.of(1e9) })).toThrow(/frame 7 is no longer in the file/);
    file.close();
  });
});
