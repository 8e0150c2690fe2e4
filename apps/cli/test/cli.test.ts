import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fixtures, fixturesDir, publicCaptures, repoRoot, tshark } from '../../../test-fixtures/lib/paths.js';

const bin = join(repoRoot, 'apps/cli/bin/reef-cli.js');
const tmp = mkdtempSync(join(tmpdir(), 'reef-cli-test-'));

function reef(args: string[], input?: Buffer) {
  const r = spawnSync(process.execPath, [bin, ...args], { input, maxBuffer: 1 << 28 });
  return { stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'), status: r.status };
}

describe('summary lines equal tshark -n -r, line by line', () => {
  for (const file of fixtures()) {
    it(basename(file), () => {
      const ours = reef(['-r', file]);
      const theirs = tshark(['-n', '-r', file]);
      expect(ours.stderr).toBe('');
      expect(ours.status).toBe(0);
      expect(ours.stdout.split('\n')).toEqual(theirs.stdout.split('\n'));
    });
  }
});

describe('the seed walkthrough capture', () => {
  it('shows the handshake, the GET, the pong and the teardown with relative numbers', () => {
    const lines = reef(['-r', join(fixturesDir, 'ping-http.pcap')]).stdout.trim().split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toMatch(/TCP 74 \d+ → 8080 \[SYN\] Seq=0 Win=65495 Len=0 MSS=65495 SACK_PERM/);
    expect(lines[1]).toMatch(/8080 → \d+ \[SYN, ACK\] Seq=0 Ack=1 /);
    expect(lines[2]).toMatch(/\[ACK\] Seq=1 Ack=1 /);
    expect(lines[3]).toMatch(/HTTP \d+ GET \/ping HTTP\/1\.1 $/);
    expect(lines[5]).toMatch(/HTTP \d+ HTTP\/1\.1 200 OK {2}\(text\/plain\)$/);
    expect(lines[7]).toMatch(/\[FIN, ACK\]/);
  });
});

describe('public sample captures (frames whose tshark line involves only this slice)', () => {
  const files = publicCaptures();
  it.skipIf(files.length === 0)('matches tshark on TCP/UDP lines without analysis prefixes', () => {
    let compared = 0;
    let same = 0;
    const diffs: string[] = [];
    for (const file of files) {
      const theirs = tshark(['-n', '-r', file]).stdout.split('\n');
      const ours = reef(['-r', file]).stdout.split('\n');
      theirs.forEach((line, i) => {
        // TCP analysis ([TCP ...] prefixes), reassembly and other protocols come in later issues.
        if (!/^\s*\d+\s+\S+\s+.*\s(TCP|UDP) \d+ \d+ → \d+ /.test(line) || /\[TCP |\[Illegal|\[Packet size/.test(line)) return;
        compared++;
        if (ours[i] === line) same++;
        else if (diffs.length < 10) diffs.push(`${basename(file)}:\n  tshark: ${line}\n  reef:   ${ours[i]}`);
      });
    }
    const pct = (100 * same) / compared;
    console.log(`public corpus: ${same}/${compared} TCP/UDP summary lines identical (${pct.toFixed(1)}%)`);
    if (diffs.length) console.log(diffs.join('\n'));
    expect(compared).toBeGreaterThan(500);
    expect(pct).toBeGreaterThanOrEqual(95);
  }, 300_000);
});

describe('public sample captures: ICMP and ICMPv6 lines', () => {
  // The corpus files that carry ICMP or ICMPv6 (MANIFEST.md).
  const withIcmp = ['icmp_echo.pcapng', 'icmpv6_neighbor_solicitation.pcapng', 'zeek_icmp6-nd-options.pcap', 'zeek_linux_dlt_sll2.pcap'];
  const files = publicCaptures().filter((f) => withIcmp.includes(basename(f)));
  it.skipIf(files.length === 0)('equal tshark line by line (types, codes, echo ids, NDP addresses, matching)', () => {
    let compared = 0;
    const diffs: string[] = [];
    for (const file of files) {
      const theirs = tshark(['-n', '-r', file]).stdout.split('\n');
      const ours = reef(['-r', file]).stdout.split('\n');
      theirs.forEach((line, i) => {
        if (!/^\s*\d+\s+\S+\s+.*\sICMP(v6)? \d+ /.test(line)) return;
        compared++;
        if (ours[i] !== line) diffs.push(`${basename(file)}:\n  tshark: ${line}\n  reef:   ${ours[i]}`);
      });
    }
    console.log(`public corpus: ${compared - diffs.length}/${compared} ICMP/ICMPv6 summary lines identical`);
    expect(compared).toBeGreaterThanOrEqual(39);
    expect(diffs).toEqual([]);
  });
});

describe('inputs', () => {
  const pcap = join(fixturesDir, 'ping-http.pcap');
  const expected = reef(['-r', pcap]).stdout;

  it('reads stdin with -r -', () => {
    expect(reef(['-r', '-'], readFileSync(pcap)).stdout).toBe(expected);
  });

  it('reads gzip-compressed captures, detected by magic rather than name', () => {
    const gz = join(tmp, 'ping.cap');
    writeFileSync(gz, gzipSync(readFileSync(pcap)));
    expect(reef(['-r', gz]).stdout).toBe(expected);
  });

  it('stops after -c packets', () => {
    expect(reef(['-c', '3', '-r', pcap]).stdout).toBe(expected.split('\n').slice(0, 3).join('\n') + '\n');
  });

  it('ends quietly when the reader of stdout goes away', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" -r "${pcap}" | head -1`], { encoding: 'utf8' });
    expect(r.stdout.split('\n')[0]).toBe(expected.split('\n')[0]);
    expect(r.stderr).toBe('');
  });
});

describe('bad input', () => {
  it('a file that is not a capture: one line naming the file and the magic, exit 2', () => {
    const f = join(tmp, 'notes.txt');
    writeFileSync(f, 'hello, this is text\n');
    const r = reef(['-r', f]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`reef-cli: ${f}: not a pcap or pcapng file (magic 0x68656c6c)\n`);
  });

  it('a missing file: one line, exit 2', () => {
    const r = reef(['-r', join(tmp, 'nope.pcap')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('nope.pcap: no such file');
  });

  it('a truncated capture: every whole frame, then a warning with frame number and offset, exit 2', () => {
    const whole = readFileSync(join(fixturesDir, 'ping-http.pcap'));
    // Cut in the middle of frame 6's data: 24-byte header + 5 records before it.
    let at = 24;
    for (let i = 0; i < 5; i++) at += 16 + whole.readUInt32LE(at + 8);
    const cut = join(tmp, 'cut.pcap');
    writeFileSync(cut, whole.subarray(0, at + 16 + 20));
    const r = reef(['-r', cut]);
    expect(r.stdout.trim().split('\n')).toHaveLength(5);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`reef-cli: ${cut}: file appears to be cut short in the middle of a packet (frame 6 at byte offset ${at})\n`);
  });

  it('a malformed packet is marked as tshark marks it, and the packets after it still decode', () => {
    const bad = Buffer.from(readFileSync(join(fixturesDir, 'ping-http.pcap')));
    // Frame 4 (the GET): IP total length 30 leaves 10 bytes of a 20-byte TCP header.
    let at = 24;
    for (let i = 0; i < 3; i++) at += 16 + bad.readUInt32LE(at + 8);
    bad.writeUInt16BE(30, at + 16 + 16);
    const f = join(tmp, 'malformed.pcap');
    writeFileSync(f, bad);
    const ours = reef(['-r', f]);
    const theirs = tshark(['-n', '-r', f]).stdout.trim().split('\n');
    const lines = ours.stdout.trim().split('\n');
    expect(ours.status).toBe(0);
    expect(lines[3]).toMatch(/TCP 148 \d+ → 8080\[Malformed Packet\]$/);
    expect(lines[3]).toBe(theirs[3]);
    // TCP analysis prefixes ([TCP ACKed unseen segment] ...) arrive with the analysis issue.
    const strip = (l: string) => l.replace(/\[TCP [^\]]*\] /g, '');
    expect(lines.map(strip)).toEqual(theirs.map(strip));
  });

  it('an unknown option: tshark-style message, exit 1', () => {
    const r = reef(['-Q']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("invalid option -- 'Q'");
  });
});

describe('registry and help', () => {
  it('-G fields lists the registry in tshark -G fields format', () => {
    const out = reef(['-G', 'fields']).stdout.split('\n');
    expect(out).toContain('P\tTransmission Control Protocol\ttcp');
    expect(out.find((l) => l.startsWith('F\tSource Port\ttcp.srcport\t'))).toMatch(/FT_UINT16\ttcp\t/);
  });

  it('-h lists every option from the option table', () => {
    const out = reef(['-h']).stdout;
    for (const flag of ['-r', '-c', '-n', '-G', '-h', '-v']) expect(out).toContain(`  ${flag}`);
  });

  it('works through pnpm --filter cli start', () => {
    const f = join(tmp, 'copy.pcap');
    copyFileSync(join(fixturesDir, 'ping-http.pcap'), f);
    const r = spawnSync('pnpm', ['-s', '--filter', 'cli', 'start', '-r', f], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.stdout.trim().split('\n')).toHaveLength(10);
  });
});
