import { frameBytes, openCaptureFile, type FrameBatch } from '@reef/capture';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AbiError, loadDissector, SessionClosedError, type TreeNode } from '../src/index.js';
import { fixturesDir } from '../../../test-fixtures/lib/paths.js';

async function batches(file: string): Promise<FrameBatch[]> {
  const out: FrameBatch[] = [];
  for await (const b of await openCaptureFile(join(fixturesDir, file))) out.push(b);
  return out;
}

function find(nodes: TreeNode[], field: string): TreeNode | undefined {
  for (const n of nodes) {
    if (n.field === field) return n;
    const c = n.children && find(n.children, field);
    if (c) return c;
  }
  return undefined;
}

describe('Session', () => {
  it('rebuilds reassembled TCP bytes from frames the host hands back, showing the same details', async () => {
    const dissector = await loadDissector();
    const [batch] = await batches('http-segmented.pcap');
    const keeps = dissector.openSession();
    const handsBack = dissector.openSession();
    const asked: number[] = [];
    handsBack.handBackFrames((n) => {
      asked.push(n);
      return n >= 1 && n <= batch!.count ? frameBytes(batch!, n - 1) : undefined;
    });
    keeps.ingest(batch!);
    handsBack.ingest(batch!);
    expect(asked).toEqual([]);
    let reassembled = 0;
    for (let i = 0; i < batch!.count; i++) {
      const d = handsBack.dissect(batch!, i);
      expect(d).toEqual(keeps.dissect(batch!, i));
      if (d.sources.some((s) => s.name === 'Reassembled TCP')) reassembled++;
    }
    // Both responses came in three segments and were reassembled in their last one.
    expect(reassembled).toBe(2);
    expect(asked.length).toBeGreaterThan(0);
    const first = handsBack.dissect(batch!, 5);
    expect(find(first.tree, 'tcp.reassembled_in')?.label).toMatch(/^\[Reassembled PDU in frame: \d+\]$/);
    keeps.close();
    handsBack.close();
  });

  it('ingests a capture and re-dissects rows and trees with first-pass answers', async () => {
    const dissector = await loadDissector();
    const session = dissector.openSession();
    const [batch] = await batches('ping-http.pcap');
    const text = new TextDecoder().decode(session.ingest(batch!, { summaries: true }));
    expect(text.trim().split('\n')).toHaveLength(10);
    expect(session.frameCount).toBe(10);

    const rows = session.rows(batch!, 0, 3);
    expect(rows.map((r) => r[0])).toEqual([1, 2, 3]);
    expect(rows[1]![4]).toBe('TCP');
    expect(rows[1]![6]).toMatch(/^8080 → \d+ \[SYN, ACK\] Seq=0 Ack=1 /);

    const d = session.dissect(batch!, 1);
    expect(d.protocols).toBe('eth:ethertype:ip:tcp');
    // Layers are siblings at the top, as in Wireshark's details pane.
    expect(d.tree.map((n) => n.field)).toEqual(['frame', 'eth', 'ip', 'tcp']);
    const tcp = find(d.tree, 'tcp')!;
    expect(tcp.start).toBe(34);
    expect(tcp.label).toMatch(/^Transmission Control Protocol, Src Port: 8080, Dst Port: \d+, Seq: 0, Ack: 1, Len: 0$/);
    const raw = find(d.tree, 'tcp.seq_raw')!;
    expect([raw.start, raw.len]).toEqual([38, 4]);
    expect(find(d.tree, 'tcp.stream')!.generated).toBe(true);
    // Hidden fields (tcp.port, ip.addr) are filterable but not shown.
    expect(find(d.tree, 'tcp.port')).toBeUndefined();
    session.close();
  });

  it('the SYN-ACK acknowledges the client ISN + 1, raw and relative', async () => {
    const session = (await loadDissector()).openSession();
    const [batch] = await batches('ping-http.pcap');
    session.ingest(batch!);
    const value = (n: TreeNode | undefined) => Number(n!.label.replace(/^[^:]*: (\d+).*$/, '$1'));
    const syn = session.dissect(batch!, 0).tree;
    const synack = session.dissect(batch!, 1).tree;
    expect(value(find(syn, 'tcp.seq'))).toBe(0);
    expect(value(find(synack, 'tcp.ack'))).toBe(1);
    expect(value(find(synack, 'tcp.ack_raw'))).toBe(value(find(syn, 'tcp.seq_raw')) + 1);
    session.close();
  });

  it('rejects frames it never ingested and any use after close', async () => {
    const session = (await loadDissector()).openSession();
    const [batch] = await batches('udp-echo.pcap');
    expect(() => session.rows(batch!, 0, 1)).toThrow(AbiError);
    session.close();
    expect(() => session.ingest(batch!)).toThrow(SessionClosedError);
  });

  it('lists the field registry with types', async () => {
    const fields = (await loadDissector()).fields();
    expect(fields.find((f) => f.abbrev === 'tcp.srcport')).toMatchObject({ name: 'Source Port', type: 'FT_UINT16' });
    expect(fields.find((f) => f.abbrev === 'ip.src')?.type).toBe('FT_IPv4');
    expect(new Set(fields.map((f) => f.abbrev)).size).toBe(fields.length);
  });
});
