import { spawnSync } from 'node:child_process';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures, fixturesDir, hasPublicCorpus, inParallel, publicDir, repoRoot, runAsync, tshark, tsharkAsync } from '../../../test-fixtures/lib/paths.js';

const bin = join(repoRoot, 'apps/cli/bin/reef-cli.js');

function reef(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, env });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

const seed = join(fixturesDir, 'ping-http.pcap');

describe('-t: every time format equals tshark', () => {
  for (const t of ['a', 'ad', 'adoy', 'd', 'dd', 'e', 'r', 'u', 'ud', 'udoy']) {
    it(`-t ${t}`, async () => {
      // Both tools side by side, two captures at a time: the suite has 11 formats x 19 captures.
      await inParallel(fixtures(), async (file) => {
        const [ours, theirs] = await Promise.all([runAsync(process.execPath, [bin, '-t', t, '-r', file]), tsharkAsync(['-n', '-t', t, '-r', file])]);
        expect(ours.stdout, `${basename(file)} -t ${t}`).toBe(theirs.stdout);
      });
    });
  }

  it('absolute times follow the local time zone, as tshark', () => {
    const env = { ...process.env, TZ: 'Asia/Tokyo' };
    const ours = reef(['-t', 'ad', '-r', seed], env).stdout;
    const r = spawnSync('tshark', ['-n', '-t', 'ad', '-r', seed], { encoding: 'utf8', env });
    expect(ours).toBe(r.stdout);
    expect(ours).toMatch(/ 2026-11-25 08:38:02\.797184 /);
  });
});

describe('-T fields', () => {
  const fields = ['frame.number', 'frame.time_epoch', 'frame.time_delta', 'ip.src', 'ip.id', 'ip.flags', 'ip.flags.df', 'tcp.port', 'tcp.flags', 'tcp.flags.syn', 'tcp.options', 'tcp.option_kind', 'http.request.line', 'eth.type', '_ws.col.Time', '_ws.col.Protocol', '_ws.col.Info'];
  const e = fields.flatMap((f) => ['-e', f]);

  it('prints raw values as tshark: hex bases, booleans 1/0, bytes as hex, repeated fields joined', () => {
    const args = ['-r', seed, '-T', 'fields', ...e, '-E', 'header=y'];
    const ours = reef(args);
    expect(ours.stderr).toBe('');
    expect(ours.stdout).toBe(tshark(['-n', ...args]).stdout);
  });

  it('honours -E separator, quote, occurrence and aggregator', () => {
    for (const opts of [
      ['-E', 'separator=,', '-E', 'quote=d'],
      ['-E', 'occurrence=f'],
      ['-E', 'occurrence=l', '-E', 'separator=/s'],
      ['-E', 'aggregator=/s', '-E', 'quote=s'],
    ]) {
      const args = ['-r', seed, '-T', 'fields', ...e, ...opts];
      expect(reef(args).stdout, opts.join(' ')).toBe(tshark(['-n', ...args]).stdout);
    }
  });

  it('expert items are fields: -Y _ws.expert and -e _ws.expert.* find every one, as tshark', () => {
    const e = ['-e', 'frame.number', '-e', '_ws.expert.message', '-e', '_ws.expert.severity', '-e', '_ws.expert.group'];
    // HTTP start lines (Chat), TCP analysis, TTL notes of a traceroute, a UDP DNS exchange.
    for (const name of ['ping-http.pcap', 'icmp-routed.pcap', 'syslog-json.pcap', 'http-segmented.pcap', 'dns.pcap']) {
      const file = join(fixturesDir, name);
      for (const args of [['-T', 'fields', ...e], ['-Y', '_ws.expert', '-T', 'fields', ...e], ['-Y', 'http.chat || ip.ttl.too_small']]) {
        const ours = reef(['-r', file, ...args]);
        expect(ours.stderr).toBe('');
        expect(ours.stdout, `${name} ${args.join(' ')}`).toBe(tshark(['-n', '-r', file, ...args]).stdout);
      }
    }
    // Known only once the capture is read: requests that drew no reply (tshark -2).
    const routed = ['-2', '-r', join(fixturesDir, 'icmp-routed.pcap'), '-Y', 'icmp.resp_not_found', '-T', 'fields', ...e];
    const ours = reef(routed).stdout;
    expect(ours.split('\n').filter(Boolean).length).toBeGreaterThan(0);
    expect(ours).toBe(tshark(['-n', ...routed]).stdout);
  });

  it.skipIf(!hasPublicCorpus)('a field\'s occurrences come in tree order: a trailer\'s expert before TCP\'s', () => {
    // Frame 20 of http_post.pcapng: Ethertype adds its trailer note after TCP's FIN notes.
    const args = ['-r', join(publicDir, 'http_post.pcapng'), '-Y', 'frame.number == 20', '-T', 'fields', '-e', '_ws.expert.message', '-e', '_ws.expert.severity'];
    const ours = reef(args).stdout;
    expect(ours).toMatch(/^Didn't find padding of zeros.*,Connection finish \(FIN\),/);
    expect(ours).toBe(tshark(['-n', ...args]).stdout);
  });

  it('rejects unknown fields all at once, and -e without -T fields, with exit 1', () => {
    const bad = reef(['-r', seed, '-T', 'fields', '-e', 'ip.src', '-e', 'tcp.prt', '-e', 'foo.bar']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe("reef-cli: Some fields aren't valid:\n\ttcp.prt\n\tfoo.bar\n");
    expect(bad.stdout).toBe('');
    const noT = reef(['-r', seed, '-e', 'ip.src']);
    expect(noT.status).toBe(1);
    expect(noT.stderr).toMatch(/Output fields were specified with "-e", but "-Tek, -Tfields, -Tjson or -Tpdml" was not specified\./);
    expect(reef(['-r', seed, '-T', 'fields']).stderr).toMatch(/"-Tfields" was specified, but no fields were specified with "-e"\./);
    expect(reef(['-r', seed, '-T', 'fields', '-e', 'ip.src', '-E', 'colour=y']).stderr).toMatch(/"colour" is not a valid field output option=value pair\./);
  });
});

describe('-x and -V', () => {
  it('-x dumps every frame as tshark does, with extra data sources titled (de-chunked body)', () => {
    for (const file of fixtures()) {
      expect(reef(['-x', '-r', file]).stdout, basename(file)).toBe(tshark(['-n', '-x', '-r', file]).stdout);
    }
    expect(reef(['-x', '-r', seed]).stdout).toContain('De-chunked entity body (4 bytes):\n0000  70 6f 6e 67 ');
  });

  it('-V prints the frame layer as tshark, including pcapng section and interface', () => {
    const file = join(fixturesDir, 'ping-http.pcapng');
    const ours = reef(['-V', '-r', file, '-c', '1']).stdout.split('\n');
    const theirs = tshark(['-n', '-V', '-r', file, '-c', '1']).stdout.split('\n');
    const frameLayer = (lines: string[]) => lines.slice(0, lines.findIndex((l) => l.startsWith('Ethernet II')));
    expect(frameLayer(ours)).toEqual(frameLayer(theirs));
    expect(ours[0]).toBe('Frame 1: 74 bytes on wire (592 bits), 74 bytes captured (592 bits) on interface unknown, id 0');
  });

  it('-V -x: tree, blank line, hex dump, blank line', () => {
    const file = join(fixturesDir, 'udp-echo.pcap');
    const out = reef(['-V', '-x', '-r', file, '-c', '1']).stdout;
    expect(out).toMatch(/^Frame 1: .*\n(    .*\n|\S.*\n)+\n0000  .*\n(00[0-9a-f]0  .*\n)*\n$/);
  });
});
