/**
 * reef-cli capture and writing: -D against tshark -D, -r -w conversion (pcap, pcapng, stdout,
 * -c), and (root only; CI runs as root) live capture on lo: summary lines, -w files read back by
 * our reader and by tshark, two interfaces, -c / -a stops, SIGINT leaving a valid file, the
 * messages for lo0, unknown names and missing privileges.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaptureFile } from '@reef/capture';
import { fixturesDir, hasTshark, repoRoot, tshark } from '../../../test-fixtures/lib/paths.js';
import { getPing, isRoot, notRootReason, sleep, startPingServer, type PingServer } from '../../../test-fixtures/lib/live.js';

const bin = join(repoRoot, 'apps/cli/bin/reef-cli.js');
const tmp = mkdtempSync(join(tmpdir(), 'reef-cli-capture-'));
const pcap = join(fixturesDir, 'ping-http.pcap');

function reef(args: string[], input?: Buffer) {
  const r = spawnSync(process.execPath, [bin, ...args], { input, maxBuffer: 1 << 28 });
  return { stdout: r.stdout, text: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'), status: r.status };
}

/** A running reef-cli: wait for a stderr line, then signal it or let it end. */
function startReef(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const done = new Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr })),
  );
  return {
    child,
    done,
    /** Resolves once stderr matches (reef-cli prints "Capturing on ..." when libpcap is listening). */
    async waitFor(re: RegExp, ms = 10_000): Promise<void> {
      const t0 = Date.now();
      while (!re.test(stderr)) {
        if (Date.now() - t0 > ms) throw new Error(`reef-cli did not print ${re} within ${ms} ms; stderr: ${stderr}`);
        await sleep(20);
      }
    },
  };
}

async function framesIn(file: string) {
  const src = await openCaptureFile(file);
  let n = 0;
  for await (const b of src) n += b.count;
  return { n, src };
}

describe('-D', () => {
  it.skipIf(!hasTshark)("lists interfaces with tshark -D's numbers and names", () => {
    const ours = reef(['-D']);
    expect(ours.status).toBe(0);
    const lines = ours.text.trim().split('\n');
    expect(lines.some((l) => /^\d+\. lo \(Loopback\)$/.test(l))).toBe(true);
    // tshark lists its extcap interfaces after libpcap's.
    expect(tshark(['-D']).stdout.trim().split('\n').slice(0, lines.length)).toEqual(lines);
  });
});

describe('-r with -w: copy or convert', () => {
  const expected = reef(['-r', pcap]).text;

  for (const format of ['pcapng', 'pcap'] as const) {
    it(`writes ${format} that we and tshark read back as the original`, async () => {
      const out = join(tmp, `copy.${format}`);
      const args = ['-r', pcap, '-w', out, ...(format === 'pcap' ? ['-F', 'pcap'] : [])];
      const r = reef(args);
      expect(r.status).toBe(0);
      expect(r.text).toBe('');
      expect(r.stderr).toBe('');
      expect((await framesIn(out)).src.format).toBe(format);
      expect(reef(['-r', out]).text).toBe(expected);
      if (hasTshark) expect(tshark(['-n', '-r', out]).stdout).toBe(tshark(['-n', '-r', pcap]).stdout);
    });
  }

  it('pcapng by default, as tshark; -c copies the first frames', async () => {
    const out = join(tmp, 'first4.out');
    expect(reef(['-r', pcap, '-c', '4', '-w', out]).status).toBe(0);
    const { n, src } = await framesIn(out);
    expect(src.format).toBe('pcapng');
    expect(n).toBe(4);
    expect(reef(['-r', out]).text).toBe(expected.split('\n').slice(0, 4).join('\n') + '\n');
  });

  it('-w - writes the capture to stdout', () => {
    const r = reef(['-r', pcap, '-w', '-']);
    expect(r.status).toBe(0);
    expect(r.stdout.readUInt32LE(0)).toBe(0x0a0d0d0a);
    expect(reef(['-r', '-'], r.stdout).text).toBe(expected);
  });

  it('-q prints no packet lines', () => {
    const r = reef(['-q', '-r', pcap]);
    expect(r.status).toBe(0);
    expect(r.text).toBe('');
  });

  it('a bad -F names the types there are', () => {
    const r = reef(['-r', pcap, '-F', 'pcapx', '-w', join(tmp, 'x')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('reef-cli: "pcapx" isn\'t a valid capture file type\n');
    expect(r.stderr).toContain('    pcap - Wireshark/tcpdump/... - pcap\n    pcapng - Wireshark/... - pcapng\n');
  });

  it('a capture filter with -r is refused, as tshark does', () => {
    const r = reef(['-r', pcap, '-f', 'tcp']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('reef-cli: Only read filters, not capture filters, can be specified when reading a capture file.\n');
  });
});

describe.skipIf(!isRoot)('live capture (root)', () => {
  let server: PingServer;
  beforeAll(async () => {
    server = await startPingServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('prints the /ping exchange as summary lines; the capture filter can follow the options; -c stops it', async () => {
    const r = startReef(['-i', 'lo', '-c', '3', 'tcp', 'port', String(server.port)]);
    await r.waitFor(/Capturing on 'Loopback: lo'\n/);
    await getPing(server.port);
    const res = await r.done;
    expect(res.status).toBe(0);
    expect(res.stderr).toBe("Capturing on 'Loopback: lo'\n3 packets captured\n");
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^ +1 0\\.000000000 +127\\.0\\.0\\.1 → 127\\.0\\.0\\.1 +TCP 74 \\d+ → ${server.port} \\[SYN\\] Seq=0 `));
    expect(lines[1]).toMatch(new RegExp(`^ +2 \\S+ +127\\.0\\.0\\.1 → 127\\.0\\.0\\.1 +TCP 74 ${server.port} → \\d+ \\[SYN, ACK\\] Seq=0 Ack=1 `));
    expect(lines[2]).toMatch(/\[ACK\] Seq=1 Ack=1 /);
  });

  it('-w writes a pcapng with the whole exchange; SIGINT ends it cleanly; tshark reads it', async () => {
    const out = join(tmp, 'live.pcapng');
    const r = startReef(['-i', 'lo', '-f', `tcp port ${server.port}`, '-w', out]);
    await r.waitFor(/Capturing on/);
    expect(await getPing(server.port)).toBe('pong');
    await sleep(300);
    r.child.kill('SIGINT');
    const res = await r.done;
    expect(res.status).toBe(0);
    expect(res.stdout).toBe('');
    const m = /^Capturing on 'Loopback: lo'\n(\d+) packets captured\n$/.exec(res.stderr);
    expect(m, res.stderr).not.toBeNull();
    const { n, src } = await framesIn(out);
    expect(n).toBe(Number(m![1]));
    expect(n).toBeGreaterThanOrEqual(8);
    expect(src.interfaces).toMatchObject([{ name: 'lo', linkType: 1, tsPrecision: 9, filter: `tcp port ${server.port}` }]);
    expect(src.sections[0]).toMatchObject({ userAppl: expect.stringMatching(/^reef-cli /) as unknown });
    if (hasTshark) {
      const t = tshark(['-n', '-r', out, '-d', `tcp.port==${server.port},http`]);
      expect(t.stderr).toBe('');
      const lines = t.stdout.trim().split('\n');
      expect(lines).toHaveLength(n);
      expect(lines[0]).toMatch(/\[SYN\]/);
      expect(lines[1]).toMatch(/\[SYN, ACK\]/);
      expect(lines[2]).toMatch(/\[ACK\]/);
      expect(lines.some((l) => / HTTP \d+ GET \/ping HTTP\/1\.1/.test(l))).toBe(true);
      expect(lines.some((l) => / HTTP \d+ HTTP\/1\.1 200 OK +\(text\/plain\)/.test(l))).toBe(true);
    }
  });

  it('-i lo -i any: one IDB per interface, and pcap refuses the mix', async () => {
    const out = join(tmp, 'two.pcapng');
    const r = startReef(['-i', 'lo', '-i', 'any', '-w', out, '-f', `tcp port ${server.port}`, '-a', 'duration:2']);
    await r.waitFor(/Capturing on 'Loopback: lo' and 'any'\n/);
    await getPing(server.port);
    const res = await r.done; // -a duration:2 ends it
    expect(res.status).toBe(0);
    const { src } = await framesIn(out);
    expect(src.interfaces.map((i) => [i.name, i.linkType])).toEqual([
      ['lo', 1],
      ['any', 113],
    ]);
    if (hasTshark) {
      const names = tshark(['-r', out, '-T', 'fields', '-e', 'frame.interface_name']).stdout.trim().split('\n');
      expect(new Set(names)).toEqual(new Set(['lo', 'any']));
    }
    const bad = reef(['-i', 'lo', '-i', 'any', '-F', 'pcap', '-w', join(tmp, 'mix.pcap')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(
      'reef-cli: a pcap file holds one link type, but lo is Ethernet (1) and any is Linux cooked-mode capture v1 (113); write pcapng instead (-F pcapng)\n',
    );
    expect(() => statSync(join(tmp, 'mix.pcap'))).toThrow();
  });

  it('-a packets and -a filesize stop the capture, -F pcap writes pcap', async () => {
    const out = join(tmp, 'five.pcap');
    const r = startReef(['-i', 'lo', '-F', 'pcap', '-w', out, '-a', 'packets:5', '-f', `tcp port ${server.port}`]);
    await r.waitFor(/Capturing on/);
    await getPing(server.port);
    const res = await r.done;
    expect(res.stderr).toMatch(/\n5 packets captured\n$/);
    const five = await framesIn(out);
    expect([five.n, five.src.format]).toEqual([5, 'pcap']);

    const big = join(tmp, 'big.pcapng');
    const s = startReef(['-i', 'lo', '-w', big, '-a', 'filesize:1', '-f', `tcp port ${server.port}`]);
    await s.waitFor(/Capturing on/);
    for (let i = 0; i < 10 && s.child.exitCode === null; i++) await getPing(server.port);
    const sres = await s.done;
    expect(sres.status).toBe(0);
    // Stopped at the first frame that took the file to 1 kB: every frame after it was left out.
    const size = statSync(big).size;
    expect(size).toBeGreaterThanOrEqual(1000);
    expect(size).toBeLessThan(1000 + 400);
    expect(Number(/(\d+) packets captured/.exec(sres.stderr)![1])).toBe((await framesIn(big)).n);
  });

  it('a capture killed under load, at any moment, leaves a valid file', async () => {
    // Traffic for the whole test: requests back to back.
    let busy = true;
    const traffic = (async () => {
      while (busy) await getPing(server.port).catch(() => {});
    })();
    try {
      for (const [i, sig] of (['SIGINT', 'SIGTERM', 'SIGINT'] as const).entries()) {
        const out = join(tmp, `killed${i}.pcapng`);
        const r = startReef(['-i', 'lo', '-w', out]);
        await r.waitFor(/Capturing on/);
        await sleep(150 + 170 * i);
        r.child.kill(sig);
        const res = await r.done;
        expect(res.status).toBe(0);
        const captured = Number(/(\d+) packets captured/.exec(res.stderr)![1]);
        expect(captured).toBeGreaterThan(0);
        expect((await framesIn(out)).n).toBe(captured);
        if (hasTshark) {
          const t = tshark(['-r', out, '-T', 'fields', '-e', 'frame.number']);
          expect(t.stderr).toBe('');
          expect(t.stdout.trim().split('\n')).toHaveLength(captured);
        }
      }
    } finally {
      busy = false;
      await traffic;
    }
  });

  it('lo0 maps to the loopback interface and says so', async () => {
    const r = startReef(['-i', 'lo0', '-a', 'duration:1', '-f', 'tcp port 1']);
    const res = await r.done;
    expect(res.status).toBe(0);
    expect(res.stderr).toBe(
      "reef-cli: lo0 is the macOS name of the loopback interface; capturing on lo, the loopback interface here\nCapturing on 'Loopback: lo'\n0 packets captured\n",
    );
  });

  it('an unknown interface: the list and the closest name; a bad filter: one line', () => {
    const r = reef(['-i', 'eht0']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^reef-cli: There is no device named "eht0" \(closest match: "\S+"\)\. Available interfaces: 1\. \S+(, \d+\. \S+)*\n$/);
    if (r.stderr.includes(', eth0') || r.stderr.includes('1. eth0')) expect(r.stderr).toContain('(closest match: "eth0")');
    const f = reef(['-i', 'lo', '-f', 'tcp port']);
    expect(f.status).toBe(1);
    expect(f.stderr).toMatch(/^reef-cli: Invalid capture filter "tcp port" for interface 'lo': .*syntax error\n$/);
  });

  it('without privileges: one line naming the interface, CAP_NET_RAW and the setcap command', () => {
    // Drop to nobody with no capabilities, as a normal user would run it.
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', process.execPath, bin, '-i', 'lo', '-c', '1'], {
      encoding: 'utf8',
    });
    if (r.error) return; // no setpriv: nothing to check
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'reef-cli: cannot capture on lo: permission denied (socket: Operation not permitted); capturing needs root or the CAP_NET_RAW capability. Grant it to node with: sudo setcap cap_net_raw,cap_net_admin=eip $(readlink -f $(which node))\n',
    );
  });
});

if (!isRoot) console.warn(`reef-cli live capture tests skipped: ${notRootReason}`);

describe('reading a file written while it is being captured', () => {
  it('a header-only pcapng (no packet yet) is a valid empty capture', () => {
    const out = join(tmp, 'empty.pcapng');
    expect(reef(['-r', pcap, '-c', '1', '-w', out]).status).toBe(0);
    expect(readFileSync(out).readUInt32LE(0)).toBe(0x0a0d0d0a);
  });
});
