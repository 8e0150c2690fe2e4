/**
 * -2 (with -R and -Y) through the real bin, compared with tshark 4.0 on the fixtures: frames
 * kept by -R are renumbered, times count from the file's first frame, frame references carry
 * tshark's first-pass numbers, and the second pass shows what the whole capture established.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, hasTshark, repoRoot, tshark } from '../../../test-fixtures/lib/paths.js';

const bin = join(repoRoot, 'apps/cli/bin/reef-cli.js');
const reef = (args: string[], input?: Buffer) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, ...(input && { input }) });
const http = join(fixturesDir, 'ping-http.pcap');
const fields = ['frame.number', 'frame.time_delta', 'frame.time_delta_displayed', 'frame.time_relative', 'tcp.analysis.acks_frame', 'tcp.analysis.ack_rtt', 'http.request_in', 'http.response_in', 'tcp.completeness'].flatMap((f) => ['-e', f]);

describe.skipIf(!hasTshark)('-2: two passes as tshark', () => {
  it('-R keeps and renumbers frames; times and frame references as tshark (summary, -t d/dd, fields, -c)', () => {
    for (const args of [
      ['-2', '-R', 'tcp.srcport==8080'],
      ['-2', '-R', 'tcp.srcport==8080', '-t', 'dd', '-Y', 'frame.number!=2'],
      ['-2', '-R', 'tcp.srcport==8080', '-Y', 'tcp.len>0', '-T', 'fields', ...fields],
      ['-2', '-R', 'tcp.srcport==8080', '-T', 'fields', ...fields],
      ['-2', '-R', 'tcp.srcport==8080', '-t', 'd', '-c', '6'],
      ['-2', '-Y', 'tcp.srcport==8080', '-T', 'fields', ...fields],
    ]) {
      const ours = reef(['-r', http, ...args]);
      expect(ours.stderr, args.join(' ')).toBe('');
      expect(ours.stdout, args.join(' ')).toBe(tshark(['-n', '-r', http, ...args]).stdout);
    }
  });

  it('-V of the second pass: final completeness, iRTT in every frame, the negotiated TLS version', () => {
    for (const [file, extra] of [
      ['ping-http.pcap', ['-V']],
      // HTTP reassembled across segments: forward links and [Reassembled PDU in frame: N].
      ['http-segmented.pcap', ['-V']],
      ['ping-http-ipv6.pcap', ['-V', '-R', 'tcp']],
      ['tls13-4433.pcap', ['-V']],
      ['tls-alert.pcap', []],
    ] as const) {
      const args = ['-2', '-r', join(fixturesDir, file), ...extra];
      expect(reef(args).stdout, args.join(' ')).toBe(tshark(['-n', ...args]).stdout);
    }
  });

  it('statistics see every kept frame, in the second pass', () => {
    const args = ['-2', '-R', 'tcp.srcport==8080', '-Y', 'tcp.len>0', '-q', '-z', 'io,phs', '-z', 'conv,tcp', '-r', http];
    expect(reef(args).stdout).toBe(tshark(['-n', ...args]).stdout);
  });

  it('conversation and endpoint tables alone, in the second pass', () => {
    for (const file of [http, join(fixturesDir, 'dns.pcap')]) {
      for (const args of [
        ['-2', '-q', '-z', 'conv,tcp', '-z', 'conv,udp', '-z', 'endpoints,ip', '-r', file],
        ['-2', '-R', 'tcp.srcport==8080 || udp', '-q', '-z', 'conv,ip', '-z', 'endpoints,tcp', '-r', file],
      ]) {
        const r = reef(args);
        expect(r.stdout).toContain('<->');
        expect(r.stdout).toBe(tshark(['-n', ...args]).stdout);
      }
    }
  });

  it('-w writes the frames both filters pass', () => {
    const out = join(process.env['TMPDIR'] ?? '/tmp', `reef-two-pass-${process.pid}.pcapng`);
    expect(reef(['-2', '-R', 'tcp.srcport==8080', '-Y', 'tcp.len==0', '-w', out, '-r', http]).status).toBe(0);
    expect(reef(['-r', out]).stdout.trimEnd().split('\n')).toHaveLength(3);
  });

  it('errors: a pipe cannot be read twice (exit 2); an invalid -R exits 4 with tshark\'s message', () => {
    const pipe = reef(['-2', '-r', '-'], Buffer.from(''));
    expect(pipe.status).toBe(2);
    expect(pipe.stderr).toBe("reef-cli: The standard input is a pipe or FIFO; reef-cli can't read pipe or FIFO files in two-pass mode.\n");
    const bad = reef(['-2', '-R', 'tcp.port==', '-r', http]);
    expect(bad.status).toBe(4);
    expect(bad.stderr).toBe(`reef-cli: ${tshark(['-n', '-2', '-R', 'tcp.port==', '-r', http]).stderr.replace(/^tshark: /, '')}`);
  });
});
