/**
 * -T json/jsonraw/ek/pdml/psml/tabs, -O and -l through the real bin, compared with tshark on
 * the fixtures. Lines of Ethernet name resolution (eth.*_resolved, OUIs), which Reef does not
 * do, are left out of the comparison (docs/known-differences.md).
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, hasTshark, repoRoot } from '../../../test-fixtures/lib/paths.js';

const bin = join(repoRoot, 'apps/cli/bin/reef-cli.js');
const reef = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
const run = promisify(execFile);
/** Reef's and tshark's stdout for the same arguments, the two processes running at once. */
async function both(args: string[]): Promise<[string, string]> {
  const opts = { encoding: 'utf8' as const, maxBuffer: 1 << 28 };
  const [ours, theirs] = await Promise.all([run(process.execPath, [bin, ...args], opts), run('tshark', ['-n', ...args], opts)]);
  return [ours.stdout, theirs.stdout];
}
const resolution = /eth\.(dst|src|addr)(_resolved|\.oui)|eth_eth_(dst|src|addr)(_resolved|_oui)/;
const comparable = (text: string) =>
  text
    .split('\n')
    .filter((l) => !resolution.test(l) && !l.startsWith('<pdml '))
    .join('\n');
/**
 * Fixtures whose every protocol matches tshark in -T json (the others: known differences);
 * ping-http.pcapng, -ipv6, -null, -null6, -sll and tls-alert.pcap match too (checked by hand),
 * left out to keep the test cheap.
 */
const exact = ['ping-http.pcap', 'ping-http-raw.pcap', 'ping-http-sll2.pcap', 'tls13-4433.pcap'].map((f) => join(fixturesDir, f));
/** A cheap cross-section of link types and protocols for the column formats. */
const sample = ['ping-http.pcapng', 'dns.pcap', 'icmp-routed.pcap', 'quic-4443.pcap', 'tls-fragments.pcap'].map((f) => join(fixturesDir, f));

describe.skipIf(!hasTshark)('structured formats equal tshark', () => {
  it('-T psml and -T tabs', async () => {
    // Both print the same columns: tabs on two files is enough.
    const runs = sample.flatMap((file, i) => (i < 2 ? ['psml', 'tabs'] : ['psml']).map((t) => ({ file, t })));
    for (const { file, t } of runs) {
      const [ours, theirs] = await both(['-T', t, '-r', file]);
      expect(ours, `${basename(file)} -T ${t}`).toBe(theirs);
    }
  });

  it('-T json and --no-duplicate-keys', async () => {
    for (const file of exact) {
      for (const extra of file === exact[0] ? [[], ['--no-duplicate-keys']] : [[]]) {
        const [ours, theirs] = await both(['-T', 'json', ...extra, '-r', file]);
        expect(comparable(ours), `${basename(file)} ${extra.join(' ')}`).toBe(comparable(theirs));
      }
    }
  });

  it('-T json and -T ek with -e fields and columns', async () => {
    const e = ['-e', 'frame.number', '-e', 'ip.src', '-e', 'tcp.port', '-e', '_ws.col.Info', '-e', '_ws.col.Protocol'];
    // -T ek -e writes the same values as -T json -e: one file for it.
    for (const file of sample.slice(0, 3)) {
      for (const t of file === sample[0] ? ['json', 'ek'] : ['json']) {
        const [ours, theirs] = await both(['-T', t, ...e, '-r', file]);
        expect(ours, `${basename(file)} -T ${t} -e`).toBe(theirs);
      }
    }
  });

  it('-T ek: the bulk index line and the flattened document', async () => {
    for (const file of exact.slice(0, 2)) {
      const [ours, theirs] = await both(['-T', 'ek', '-r', file]);
      expect(comparable(ours.replace(/,"eth_eth_/g, ',\n"eth_eth_')), basename(file)).toBe(comparable(theirs.replace(/,"eth_eth_/g, ',\n"eth_eth_')));
    }
  });

  it('-O shows only the named protocols expanded', async () => {
    const file = join(fixturesDir, 'ping-http.pcap');
    for (const o of ['tcp', 'ip,http']) {
      const [ours, theirs] = await both(['-O', o, '-r', file]);
      expect(ours, o).toBe(theirs);
    }
  });

  it('empty documents, as tshark', async () => {
    const file = join(fixturesDir, 'ping-http.pcap');
    for (const t of ['json', 'psml', 'ek']) {
      const [ours, theirs] = await both(['-T', t, '-Y', 'frame.number==999', '-r', file]);
      expect(ours, t).toBe(theirs);
    }
  });
});

describe('structured formats', () => {
  it('JSON output parses, whatever the bytes; -l changes nothing but flushing', async () => {
    const opts = { encoding: 'utf8' as const, maxBuffer: 1 << 28 };
    const reefAsync = async (args: string[]) => (await run(process.execPath, [bin, ...args], opts)).stdout;
    // The sample covers every link type and protocol of the fixtures; tls13 adds TLS 1.3.
    for (const file of [...sample, exact[3]!]) {
      const [out, ek] = await Promise.all([reefAsync(['-T', 'json', '--no-duplicate-keys', '-x', '-r', file]), reefAsync(['-T', 'ek', '-r', file])]);
      expect(() => JSON.parse(out), basename(file)).not.toThrow();
      for (const line of ek.trimEnd().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    }
    const file = join(fixturesDir, 'ping-http.pcap');
    expect(reef(['-l', '-T', 'json', '-r', file]).stdout).toBe(reef(['-T', 'json', '-r', file]).stdout);
  });

  it('-R needs -2, as tshark says', () => {
    const r = reef(['-R', 'tcp', '-r', join(fixturesDir, 'ping-http.pcap')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('-R without -2 is deprecated. For single-pass filtering use -Y.');
  });
});
