/**
 * When nothing printed, filtered or counted reads above TCP and UDP, a single pass does not
 * hand their payloads up (crates/dissect/src/session/scope.rs). The output must still be
 * tshark's: lower-layer -T fields (including TCP analysis), conversations and endpoints of
 * every type without other statistics, and a lower-layer -Y, on every project fixture and
 * (when ../shared is there) every public capture.
 */
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures, inParallel, publicCaptures, repoRoot, runAsync, tsharkAsync } from '../../../test-fixtures/lib/paths.js';

const bin = join(repoRoot, 'apps/cli/bin/reef-cli.js');

const FIELDS = [
  'frame.number', 'frame.len', 'eth.src', 'ip.src', 'ip.dst', 'ip.id', 'ipv6.src', 'tcp.stream',
  'tcp.srcport', 'tcp.dstport', 'tcp.seq', 'tcp.ack', 'tcp.len', 'tcp.flags', 'tcp.time_delta', 'tcp.analysis.flags',
  'tcp.analysis.ack_rtt', 'tcp.analysis.bytes_in_flight', 'tcp.completeness', 'udp.stream', 'udp.length',
];
const TABLES = ['eth', 'ip', 'ipv6', 'tcp', 'udp'];

/** Fields TCP and UDP read from their header alone (scope.rs's HEADER_ONLY). */
const HEADER_FIELDS = [
  'frame.number', 'ip.src', 'ipv6.dst', 'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.hdr_len', 'tcp.flags.str',
  'tcp.window_size_value', 'tcp.checksum.status', 'tcp.urgent_pointer', 'udp.port', 'udp.length', 'udp.checksum',
];

/** Differences the whole dissection has too (statistics.test.ts lists them with their reason). */
const KNOWN: Record<string, string[]> = {
  'zeek_ipv6-hbh-routing0.pcap': ['conv and endpoints'],
};

async function reef(args: string[]): Promise<string> {
  return (await runAsync(process.execPath, [bin, ...args])).stdout;
}

/** The jobs whose reef output differs from tshark's on `file` (each job's two runs side by side). */
async function differing(file: string): Promise<string[]> {
  const jobs: Record<string, string[]> = {
    fields: ['-r', file, '-T', 'fields', ...FIELDS.flatMap((f) => ['-e', f])],
    'conv and endpoints': ['-q', '-r', file, ...TABLES.flatMap((t) => ['-z', `conv,${t}`, '-z', `endpoints,${t}`])],
    '-Y lower layers': ['-r', file, '-Y', 'tcp.flags.syn == 1 || udp.length > 60', '-T', 'fields', '-e', 'frame.number', '-e', 'ip.src'],
    // Header fields only: TCP's and UDP's flow analyses are skipped too.
    'header fields': ['-r', file, '-T', 'fields', ...HEADER_FIELDS.flatMap((f) => ['-e', f])],
  };
  const names: string[] = [];
  for (const [name, args] of Object.entries(jobs)) {
    if ((KNOWN[basename(file)] ?? []).includes(name)) continue;
    const [ours, theirs] = await Promise.all([reef(args), tsharkAsync(['-n', ...args])]);
    if (ours !== theirs.stdout) names.push(name);
  }
  return names;
}

/** The captures with differing jobs, several captures at once. */
async function failures(files: string[]): Promise<{ file: string; jobs: string[] }[]> {
  const outcomes = await inParallel(files, async (f) => ({ file: basename(f), jobs: await differing(f) }));
  return outcomes.filter((o) => o.jobs.length > 0);
}

describe('stopping at TCP and UDP changes nothing tshark prints', () => {
  it('on every project fixture', async () => {
    const files = fixtures();
    expect(files.length).toBeGreaterThan(10);
    expect(await failures(files)).toEqual([]);
  }, 300_000);

  const pub = publicCaptures();
  it.skipIf(pub.length === 0)('on every public capture', async () => {
    expect(await failures(pub)).toEqual([]);
  }, 900_000);
});
