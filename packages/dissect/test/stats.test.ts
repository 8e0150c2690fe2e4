import { openCaptureFile, type FrameBatch } from '@reef/capture';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadDissector, type Session } from '../src/index.js';
import { fixturesDir, hasPublicCorpus, publicDir } from '../../../test-fixtures/lib/paths.js';

/** A session that ingested `file` (the first pass), and its batches for re-dissection. */
async function load(file: string): Promise<{ session: Session; batches: FrameBatch[] }> {
  const session = (await loadDissector()).openSession();
  const batches: FrameBatch[] = [];
  for await (const b of await openCaptureFile(file)) {
    session.ingest(b);
    batches.push(b);
  }
  return { session, batches };
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('statistics through the facade (the TUI path: a pass over ingested frames)', () => {
  it('conversations and endpoints of the walkthrough capture', async () => {
    const { session, batches } = await load(join(fixturesDir, 'ping-http.pcap'));
    const [conv] = session.conversations('tcp', batches);
    expect(conv).toMatchObject({ a: '127.0.0.1', b: '127.0.0.1', portB: 8080, stream: 0, framesAB: 6, framesBA: 4, bytesAB: 486, bytesBA: 443 });
    expect(conv!.duration).toBeCloseTo(0.002429, 6);
    const eps = session.endpoints('tcp', batches);
    expect(eps.map((e) => [e.port, e.txFrames, e.rxFrames])).toEqual([
      [conv!.portA, 6, 4],
      [8080, 4, 6],
    ]);
    expect(session.conversations('udp', batches)).toEqual([]);
    session.close();
  });

  it('follow gives each direction\'s payload with the frame it came from, and tshark\'s text', async () => {
    const { session, batches } = await load(join(fixturesDir, 'ping-http.pcap'));
    const f = session.follow('tcp', 0, batches, 'ascii');
    expect(f.nodes[1]).toBe('127.0.0.1:8080');
    expect(f.chunks.map((c) => [c.frame, c.dir, c.bytes.length])).toEqual([
      [4, 0, 82],
      [6, 1, 171],
    ]);
    expect(text(f.chunks[0]!.bytes)).toMatch(/^GET \/ping HTTP\/1\.1\r\n/);
    expect(f.text).toContain('Follow: tcp,ascii\nFilter: tcp.stream eq 0\n');
    expect(session.follow('tcp', 7, batches).chunks).toEqual([]);
    session.close();
  });

  it('the handshake ladder walks both state machines from SYN to CLOSED', async () => {
    const { session, batches } = await load(join(fixturesDir, 'ping-http.pcap'));
    const flow = session.flow(0, batches);
    expect(flow.b).toBe('127.0.0.1:8080');
    expect(flow.events.map((e) => `${e.flags}|${e.stateA}|${e.stateB}`)).toEqual([
      'SYN|SYN_SENT|LISTEN',
      'SYN, ACK|ESTABLISHED|SYN_RECEIVED',
      'ACK|ESTABLISHED|ESTABLISHED',
      'PSH, ACK|ESTABLISHED|ESTABLISHED',
      'ACK|ESTABLISHED|ESTABLISHED',
      'PSH, ACK|ESTABLISHED|ESTABLISHED',
      'ACK|ESTABLISHED|ESTABLISHED',
      'FIN, ACK|FIN_WAIT_1|CLOSE_WAIT',
      'FIN, ACK|TIME_WAIT|LAST_ACK',
      'ACK|TIME_WAIT|CLOSED',
    ]);
    const fin = flow.events[7]!;
    expect([fin.frame, fin.dir, fin.seq, fin.ack, fin.seqRaw - fin.seq]).toEqual([8, 0, 83, 172, flow.events[0]!.seqRaw]);
    expect(fin.notes).toContain('This frame initiates the connection closing');
    session.close();
  });

  it.skipIf(!hasPublicCorpus)('retransmissions show as notes on the ladder and in the expert summary', async () => {
    const { session, batches } = await load(join(publicDir, 'tcp_retransmissions.pcapng'));
    const flow = session.flow(0, batches);
    expect(flow.events.filter((e) => e.notes.includes('This frame is a (suspected) retransmission'))).toHaveLength(5);
    expect(session.expert(batches)).toEqual([
      { severity: 'Note', group: 'Sequence', protocol: 'TCP', summary: 'This frame is a (suspected) retransmission', count: 5 },
    ]);
    // The retransmitted bytes are followed once.
    expect(session.follow('tcp', 0, batches).chunks.map((c) => c.frame)).toEqual([1]);
    session.close();
  });

  it('the first pass feeds -z statistics and prints them as tshark, last request first', async () => {
    const session = (await loadDissector()).openSession();
    session.configure({ mode: 'quiet' });
    session.startStats(['io,phs', 'conv,ip']);
    for await (const b of await openCaptureFile(join(fixturesDir, 'udp-echo.pcap'))) session.ingest(b, { print: true });
    const out = text(session.statsText());
    expect(out.indexOf('IPv4 Conversations')).toBeLessThan(out.indexOf('Protocol Hierarchy Statistics'));
    expect(out).toContain('\neth                                      frames:');
    expect(session.statsJson<unknown[]>(1)).toHaveLength(1);
    expect(() => session.statsJson(2)).toThrow(/no such statistic/);
    expect(() => session.startStats(['conv,sctp'])).toThrow(ConfigError);
    session.close();
  });

  it('statsTextParts gives the same text in pieces of whole rows', async () => {
    const requests = ['conv,udp', 'endpoints,udp', 'io,phs', 'conv,tcp', 'endpoints,ip'];
    const run = async () => {
      const session = (await loadDissector()).openSession();
      session.configure({ mode: 'quiet' });
      session.startStats(requests);
      for await (const b of await openCaptureFile(join(fixturesDir, 'dns.pcap'))) session.ingest(b, { print: true });
      return session;
    };
    const whole = await run();
    const expected = text(whole.statsText());
    const parted = await run();
    const parts = [...parted.statsTextParts(300)].map(text);
    expect(parts.length).toBeGreaterThan(5);
    expect(parts.join('')).toBe(expected);
    // Every piece but the last ends a line: rows are never cut.
    for (const p of parts.slice(0, -1)) expect(p.endsWith('\n')).toBe(true);
    whole.close();
    parted.close();
  });
});
