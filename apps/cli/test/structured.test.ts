/**
 * -T json/jsonraw/ek/pdml/psml/tabs, -O and -l through the real bin, compared with tshark on
 * the fixtures. Lines of Ethernet name resolution (eth.*_resolved, OUIs), which Reef does not
 * do, are left out of the comparison (docs/known-differences.md).
 */
import { spawnSync } from 'node:child_process';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, hasTshark, repoRoot, tshark } from '../../../test-fixtures/lib/paths.js';

const bin = join(repoRoot, 'apps/cli/bin/reef-cli.js');
const reef = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
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
  it('-T psml and -T tabs', () => {
    for (const file of sample) {
      for (const t of ['psml', 'tabs']) expect(reef(['-T', t, '-r', file]).stdout, `${basename(file)} -T ${t}`).toBe(tshark(['-n', '-T', t, '-r', file]).stdout);
    }
  });

  it('-T json and --no-duplicate-keys', () => {
    for (const file of exact) {
      for (const extra of file === exact[0] ? [[], ['--no-duplicate-keys']] : [[]]) {
        const args = ['-T', 'json', ...extra, '-r', file];
        expect(comparable(reef(args).stdout), `${basename(file)} ${extra.join(' ')}`).toBe(comparable(tshark(['-n', ...args]).stdout));
      }
    }
  });

  it('-T json and -T ek with -e fields and columns', () => {
    const e = ['-e', 'frame.number', '-e', 'ip.src', '-e', 'tcp.port', '-e', '_ws.col.Info', '-e', '_ws.col.Protocol'];
    for (const file of sample.slice(0, 3)) {
      for (const t of ['json', 'ek']) {
        const args = ['-T', t, ...e, '-r', file];
        expect(reef(args).stdout, `${basename(file)} -T ${t} -e`).toBe(tshark(['-n', ...args]).stdout);
      }
    }
  });

  it('-T ek: the bulk index line and the flattened document', () => {
    for (const file of exact.slice(0, 2)) {
      const args = ['-T', 'ek', '-r', file];
      const ours = reef(args).stdout;
      expect(comparable(ours.replace(/,"eth_eth_/g, ',\n"eth_eth_')), basename(file)).toBe(comparable(tshark(['-n', ...args]).stdout.replace(/,"eth_eth_/g, ',\n"eth_eth_')));
    }
  });

  it('-O shows only the named protocols expanded', () => {
    const file = join(fixturesDir, 'ping-http.pcap');
    for (const o of ['tcp', 'ip,http']) expect(reef(['-O', o, '-r', file]).stdout, o).toBe(tshark(['-n', '-O', o, '-r', file]).stdout);
  });

  it('empty documents, as tshark', () => {
    const file = join(fixturesDir, 'ping-http.pcap');
    for (const t of ['json', 'psml', 'ek']) {
      const args = ['-T', t, '-Y', 'frame.number==999', '-r', file];
      expect(reef(args).stdout, t).toBe(tshark(['-n', ...args]).stdout);
    }
  });
});

describe('structured formats', () => {
  it('JSON output parses, whatever the bytes; -l changes nothing but flushing', () => {
    for (const file of [...sample, ...exact]) {
      const out = reef(['-T', 'json', '--no-duplicate-keys', '-x', '-r', file]).stdout;
      expect(() => JSON.parse(out), basename(file)).not.toThrow();
      for (const line of reef(['-T', 'ek', '-r', file]).stdout.trimEnd().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
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
