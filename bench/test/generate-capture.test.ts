/** The benchmark capture generator: deterministic per seed, and real traffic as tshark sees it. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, tshark } from '../../test-fixtures/lib/paths.js';
// @ts-expect-error: a plain .mjs script, no type declarations
import { generate } from '../generate-capture.mjs';

const dir = mkdtempSync(join(tmpdir(), 'reef-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture(packets: number, seed: number): Buffer {
  const chunks: Buffer[] = [];
  generate({ packets, seed, sink: (c: Buffer) => chunks.push(Buffer.from(c)) });
  return Buffer.concat(chunks);
}

/** Runs the script as a user would and returns the file it wrote. */
function cli(packets: number, seed: number): string {
  const out = join(dir, `g-${packets}-${seed}.pcap`);
  execFileSync(process.execPath, [join(repoRoot, 'bench/generate-capture.mjs'), '--packets', String(packets), '--seed', String(seed), '--out', out], { stdio: 'pipe' });
  return out;
}

describe('generate-capture', () => {
  it('writes the same bytes for the same seed, other bytes for another seed', () => {
    const a = capture(4000, 7);
    expect(a.equals(capture(4000, 7))).toBe(true);
    expect(a.equals(capture(4000, 8))).toBe(false);
    // The CLI writes exactly what the function generates.
    expect(readFileSync(cli(4000, 7)).equals(a)).toBe(true);
  });

  it('makes a smaller capture the prefix of a larger one with the same seed', () => {
    const small = capture(1500, 3);
    const large = capture(6000, 3);
    expect(large.subarray(0, small.length).equals(small)).toBe(true);
  });

  it('reads in tshark as well-formed traffic of the intended protocol mix', () => {
    const file = cli(20_000, 1);
    const info = execFileSync('capinfos', ['-c', '-o', '-E', '-T', '-m', file], { encoding: 'utf8' });
    expect(info).toMatch(/,ether,20000,True\n/);

    // No malformed frame, no bad length, no checksum error (with checksum checks switched on).
    const checks = ['-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE'];
    const bad = tshark(['-n', '-r', file, ...checks, '-Y', '_ws.malformed || _ws.expert.severity >= "error" || tcp.checksum.status == "Bad" || udp.checksum.status == "Bad" || ip.checksum.status == "Bad" || (frame.time_delta <= 0 && frame.number > 1)']);
    expect(bad.stderr).toBe('');
    expect(bad.stdout).toBe('');

    const phs = tshark(['-n', '-r', file, '-q', '-z', 'io,phs']).stdout;
    const frames = (path: string): number => {
      // io,phs indents each protocol under its parent; `path` is e.g. "ip/tcp/http".
      const lines = phs.split('\n');
      let from = 0;
      let count = 0;
      for (const [depth, proto] of path.split('/').entries()) {
        const i = lines.findIndex((l, j) => j >= from && new RegExp(`^${' '.repeat(depth * 2 + 2)}${proto}\\s+frames:(\\d+)`).test(l));
        if (i < 0) return 0;
        count = Number(/frames:(\d+)/.exec(lines[i]!)![1]);
        from = i + 1;
      }
      return count;
    };
    const share = (path: string) => frames(path) / 20_000;
    expect(share('ip/tcp')).toBeGreaterThan(0.5);
    expect(share('ip/tcp/http')).toBeGreaterThan(0.1);
    expect(share('ip/udp/dns')).toBeGreaterThan(0.15);
    expect(share('ip/udp/syslog')).toBeGreaterThan(0.02);
    expect(share('ip/udp/ntp')).toBeGreaterThan(0.005);
    expect(share('ipv6/tcp/http')).toBeGreaterThan(0.01);
    expect(share('ipv6/udp/dns')).toBeGreaterThan(0.01);
    expect(share('arp')).toBeGreaterThan(0.002);

    // The TCP and DNS details the benchmark relies on: many conversations on both HTTP ports,
    // multi-segment responses, some resets and retransmissions, DNS answers with CNAMEs.
    const fields = tshark(['-n', '-r', file, '-T', 'fields', '-E', 'separator=;', '-e', 'tcp.flags.str', '-e', 'tcp.dstport', '-e', 'tcp.analysis.retransmission', '-e', 'tcp.reassembled.length', '-e', 'dns.resp.type', '-e', 'dns.flags.rcode']).stdout.split('\n');
    const count = (f: (c: string[]) => boolean) => fields.filter((l) => f(l.split(';'))).length;
    expect(count(([flags, port]) => flags === '··········S·' && port === '80')).toBeGreaterThan(200);
    expect(count(([flags, port]) => flags === '··········S·' && port === '8080')).toBeGreaterThan(200);
    expect(count(([flags]) => flags?.includes('R') ?? false)).toBeGreaterThan(10);
    expect(count(([flags]) => flags?.includes('F') ?? false)).toBeGreaterThan(400);
    expect(count((c) => c[2] === '1')).toBeGreaterThan(0);
    expect(count((c) => Number(c[3]) > 3000)).toBeGreaterThan(50);
    expect(count((c) => c[4]?.startsWith('5,') ?? false)).toBeGreaterThan(50);
    expect(count((c) => c[5] === '3')).toBeGreaterThan(5);
  });
});
