/**
 * reef-cli spreads a single pass over worker threads (src/parallel.ts) for summary lines,
 * -T fields and -Y with -w: the output must be byte for byte that of one session. The input
 * is every Ethernet pcap the tests know, its frames replayed several times into one file of
 * tens of thousands of frames, so many batches go through the workers' shared slots and
 * answers outgrow their first buffers (-x).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { epb, idb, shb } from '../../../packages/capture/test/build.js';
import { fixtures, publicCaptures, repoRoot } from '../../../test-fixtures/lib/paths.js';
import { linePieces, shardCount } from '../src/parallel.js';
import { parseArgs } from '../src/options.js';

const bin = join(repoRoot, 'apps/cli/bin/reef-cli.js');
const tmp = mkdtempSync(join(tmpdir(), 'reef-parallel-test-'));

/** Records of a little-endian microsecond pcap of Ethernet frames; none for anything else. */
function records(path: string): Buffer[] {
  const b = readFileSync(path);
  if (b.length < 24 || b.readUInt32LE(0) !== 0xa1b2c3d4 || b.readUInt32LE(20) !== 1) return [];
  const out: Buffer[] = [];
  for (let at = 24; at + 16 <= b.length; ) {
    const len = b.readUInt32LE(at + 8);
    if (at + 16 + len > b.length) break;
    out.push(b.subarray(at, at + 16 + len));
    at += 16 + len;
  }
  return out;
}

/** `rounds` replays of all the records, one second apart, in one pcap. */
function mixedCapture(rounds: number, name = 'mixed.pcap'): string {
  const all = [...fixtures(), ...publicCaptures()].flatMap(records);
  const parts = [Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex')];
  let sec = 1_700_000_000;
  for (let r = 0; r < rounds; r++) {
    for (const rec of all) {
      const copy = Buffer.from(rec);
      copy.writeUInt32LE(sec, 0);
      copy.writeUInt32LE(parts.length % 1_000_000, 4);
      parts.push(copy);
      if (parts.length % 1000 === 0) sec++;
    }
  }
  const path = join(tmp, name);
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

function reef(args: string[], workers: number, fault?: { thread: number; batch: number }): { stdout: Buffer; stderr: string; status: number | null } {
  const env = { ...process.env, REEF_WORKERS: String(workers), ...(fault && { REEF_FAULT_THREAD: String(fault.thread), REEF_FAULT_BATCH: String(fault.batch) }) };
  const preload = fault ? ['--import', join(repoRoot, 'apps/cli/test/support/worker-fault.mjs')] : [];
  const r = spawnSync(process.execPath, [...preload, bin, ...args], { env, maxBuffer: 1 << 30 });
  return { stdout: r.stdout, stderr: r.stderr.toString('utf8'), status: r.status };
}

describe('worker threads print what one session prints', () => {
  const file = mixedCapture(18);
  const frames = reef(['-r', file, '-T', 'fields', '-e', 'frame.number'], 0).stdout.toString().trim().split('\n').length;

  it('replays enough frames for many batches', () => {
    expect(frames).toBeGreaterThan(20_000);
  });

  const jobs: [string, string[]][] = [
    ['summary lines', []],
    ['summary lines with -x', ['-x']],
    ['-T fields with a header and columns', ['-T', 'fields', '-E', 'header=y', '-e', 'frame.number', '-e', 'ip.src', '-e', 'tcp.srcport', '-e', '_ws.col.Info', '-e', 'frame.time_delta']],
    ['-Y on summary lines', ['-Y', 'http || dns || tcp.analysis.flags']],
    ['-c within a batch', ['-c', '5000', '-Y', 'tcp']],
    ['-t ad', ['-t', 'ad']],
    ['conversation and endpoint tables', ['-q', '-z', 'conv,tcp', '-z', 'conv,eth', '-z', 'endpoints,ip', '-z', 'conv,udp,udp.port == 53', '-z', 'endpoints,tcp']],
    ['summary lines then tables', ['-Y', 'dns', '-z', 'conv,ip', '-z', 'endpoints,eth']],
  ];
  for (const [name, args] of jobs) {
    it(name, () => {
      const one = reef(['-r', file, ...args], 0);
      const two = reef(['-r', file, ...args], 2);
      const three = reef(['-r', file, ...args], 3);
      expect(one.status).toBe(0);
      expect(one.stdout.length).toBeGreaterThan(1000);
      for (const many of [two, three]) {
        expect(many.stderr).toBe(one.stderr);
        expect(many.status).toBe(0);
        expect(many.stdout.equals(one.stdout)).toBe(true);
      }
    });
  }

  it('a capture cut short: every whole frame, then the same error', () => {
    const cut = join(tmp, 'cut.pcap');
    const whole = readFileSync(file);
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.7)));
    const one = reef(['-r', cut], 0);
    const two = reef(['-r', cut], 2);
    expect(one.status).toBe(2);
    expect(one.stderr).toMatch(/cut short in the middle of a packet \(frame \d+ at byte offset \d+\)/);
    expect(two.status).toBe(2);
    expect(two.stderr).toBe(one.stderr);
    expect(two.stdout.equals(one.stdout)).toBe(true);
  });

  it('-Y with -w to pcapng: an interface declared mid-file comes where one session writes it', () => {
    // Ethernet frames on interface 0, then a second interface from frame 10001 on.
    const recs = [...fixtures(), ...publicCaptures()].flatMap(records);
    const blocks = [shb(true), idb(true, 1, 65535)];
    for (let i = 0; i < 16_000; i++) {
      const rec = recs[i % recs.length]!;
      if (i === 10_000) blocks.push(idb(true, 1, 9000));
      blocks.push(epb(true, i < 10_000 ? 0 : 1, BigInt(1_700_000_000_000_000 + i * 1000), rec.subarray(16)));
    }
    const input = join(tmp, 'two-interfaces.pcapng');
    writeFileSync(input, Buffer.concat(blocks));
    const outs = [0, 2].map((w) => {
      const out = join(tmp, `filtered-${w}.pcapng`);
      const r = reef(['-r', input, '-Y', 'tcp || dns', '-w', out], w);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      return readFileSync(out);
    });
    expect(outs[0]!.length).toBeGreaterThan(10_000);
    expect(outs[1]!.equals(outs[0]!)).toBe(true);
  });

  it('-Y with -w writes the same file', () => {
    const outs = [0, 2].map((w) => {
      const out = join(tmp, `filtered-${w}.pcap`);
      const r = reef(['-r', file, '-Y', 'tcp.port == 8080 || dns', '-w', out], w);
      expect(r.status).toBe(0);
      return readFileSync(out);
    });
    expect(outs[0]!.length).toBeGreaterThan(10_000);
    expect(outs[1]!.equals(outs[0]!)).toBe(true);
  });
});

describe('a worker thread that fails mid-run', () => {
  const file = mixedCapture(12, 'failing.pcap');
  // Batches are 4096 frames: the third holds frames 8193-12288.
  const batch = 3;
  const before = 2 * 4096;

  it('keeps every line of the batches before it, then says which frames failed', () => {
    const whole = reef(['-r', file, '-T', 'fields', '-e', 'frame.number', '-e', 'ip.src'], 0);
    for (const thread of [1, 2]) {
      const r = reef(['-r', file, '-T', 'fields', '-e', 'frame.number', '-e', 'ip.src'], 2, { thread, batch });
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`reef-cli: ${file}: frames 8193-12288: injected failure\n`);
      const lines = r.stdout.toString().split('\n').slice(0, -1);
      expect(lines.length).toBe(before);
      expect(lines.join('\n')).toBe(whole.stdout.toString().split('\n').slice(0, before).join('\n'));
    }
  });

  it('-Y with -w: a valid file of the frames that passed before it', () => {
    const out = join(tmp, 'failed.pcap');
    const r = reef(['-r', file, '-Y', 'tcp', '-w', out], 2, { thread: 1, batch });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('frames 8193-12288: injected failure');
    const wanted = reef(['-r', file, '-c', String(before), '-Y', 'tcp', '-T', 'fields', '-e', 'frame.time_epoch'], 0).stdout.toString();
    const got = reef(['-r', out, '-T', 'fields', '-e', 'frame.time_epoch'], 0);
    expect(got.status).toBe(0);
    expect(got.stdout.toString()).toBe(wanted);
  });

  it('prints no table that would miss the failed frames', () => {
    const r = reef(['-r', file, '-q', '-z', 'conv,tcp'], 2, { thread: 2, batch });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('frames 8193-12288: injected failure');
    expect(r.stdout.toString()).toBe('');
  });
});

describe('a table export added up in pieces', () => {
  const text = (s: string) => new TextEncoder().encode(s);
  const cut = (s: string, size: number) => [...linePieces(text(s), size)].map((p) => new TextDecoder().decode(p));

  it('cuts after a newline, never inside a row', () => {
    expect(cut('aa\nbbb\ncc\n', 5)).toEqual(['aa\n', 'bbb\n', 'cc\n']);
    expect(cut('aa\nbbb\ncc\n', 8)).toEqual(['aa\nbbb\n', 'cc\n']);
    expect(cut('aa\nbbb\ncc\n', 100)).toEqual(['aa\nbbb\ncc\n']);
  });

  it('keeps a row longer than a piece whole, and a last row without a newline', () => {
    expect(cut('abcdefgh\nxy\nz', 3)).toEqual(['abcdefgh\n', 'xy\n', 'z']);
    expect(cut('', 4)).toEqual([]);
  });
});

describe('which runs use worker threads', () => {
  const withWorkers = (args: string[]) => {
    const before = process.env['REEF_WORKERS'];
    process.env['REEF_WORKERS'] = '2';
    try {
      return shardCount(parseArgs(args));
    } finally {
      if (before === undefined) delete process.env['REEF_WORKERS'];
      else process.env['REEF_WORKERS'] = before;
    }
  };

  it('shards summary lines, fields and filtered copies', () => {
    expect(withWorkers(['-r', 'big.pcap'])).toBe(2);
    expect(withWorkers(['-r', 'big.pcap', '-T', 'fields', '-e', 'ip.src'])).toBe(2);
    expect(withWorkers(['-r', 'big.pcap', '-Y', 'http', '-w', 'out.pcap'])).toBe(2);
    expect(withWorkers(['-r', 'big.pcap', '-q', '-z', 'conv,tcp', '-z', 'endpoints,ip,ip.len > 100'])).toBe(2);
  });

  it('keeps one session where shards would change the output', () => {
    for (const args of [
      ['-V'],
      ['-T', 'json'],
      ['-T', 'fields', '-e', 'tcp.stream'],
      ['-Y', 'udp.stream == 3'],
      ['-T', 'fields', '-e', 'quic.connection.number'],
      ['-t', 'dd'],
      ['-T', 'fields', '-e', 'frame.time_delta_displayed'],
      ['-q', '-z', 'io,phs'],
      ['-q', '-z', 'conv,tcp', '-z', 'expert'],
      ['-q', '-z', 'conv,tcp,tcp.stream == 1'],
      ['-q'],
      ['-2'],
      ['-l'],
      ['-w', 'copy.pcap'],
    ]) {
      expect(withWorkers(['-r', 'big.pcap', ...args]), args.join(' ')).toBe(0);
    }
    expect(withWorkers(['-r', '-'])).toBe(0);
  });

  it('uses one session for small files unless told otherwise', () => {
    const before = process.env['REEF_WORKERS'];
    delete process.env['REEF_WORKERS'];
    try {
      expect(shardCount(parseArgs(['-r', join(repoRoot, 'test-fixtures/captures/dns.pcap')]))).toBe(0);
      // A large file (sparse: only its size is read): summary lines on every core, but tables
      // alone in one session, where they are held once instead of once per worker.
      const big = join(tmp, 'sparse-big.pcap');
      writeFileSync(big, Buffer.alloc(24));
      truncateSync(big, 40 << 20);
      const cores = Math.min(availableParallelism(), 4);
      expect(shardCount(parseArgs(['-r', big]))).toBe(cores >= 2 ? cores : 0);
      expect(shardCount(parseArgs(['-r', big, '-q', '-z', 'conv,tcp']))).toBe(0);
    } finally {
      if (before !== undefined) process.env['REEF_WORKERS'] = before;
    }
  });
});
