import { openCaptureFile, type FrameBatch } from '@reef/capture';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FilterSyntaxError, loadDissector } from '../src/index.js';
import { fixturesDir } from '../../../test-fixtures/lib/paths.js';

async function batches(file: string): Promise<FrameBatch[]> {
  const out: FrameBatch[] = [];
  for await (const b of await openCaptureFile(join(fixturesDir, file))) out.push(b);
  return out;
}

describe('display filters through the facade', () => {
  it('checks a filter without installing it, with tshark’s message and span', async () => {
    const dissector = await loadDissector();
    expect(dissector.checkFilter('tcp.port == 8080 && http')).toEqual({ ok: true });
    const bad = dissector.checkFilter('ip.src == "x"');
    expect(bad).toEqual({
      ok: false,
      message: 'IPv4 address cannot be converted from a string ("x").',
      span: { start: 10, length: 3 },
      report: 'IPv4 address cannot be converted from a string ("x").\n    ip.src == "x"\n              ^~~\n',
    });
    // Spans count characters, as JavaScript strings do.
    const accented = dissector.checkFilter('http.host == "é" && x.y');
    expect(accented.ok === false && accented.span).toEqual({ start: 20, length: 3 });
    const end = dissector.checkFilter('tcp ==');
    expect(end.ok === false && end.span).toBeUndefined();
  });

  it('setDisplayFilter throws FilterSyntaxError; filterFrames marks passing frames', async () => {
    const dissector = await loadDissector();
    const session = dissector.openSession();
    const [batch] = await batches('ping-http.pcap');
    session.ingest(batch!);
    expect(() => session.setDisplayFilter('tcp.prt == 1')).toThrow(FilterSyntaxError);
    try {
      session.setDisplayFilter('tcp.prt == 1');
    } catch (e) {
      expect((e as FilterSyntaxError).span).toEqual({ start: 0, length: 7 });
      expect((e as FilterSyntaxError).filter).toBe('tcp.prt == 1');
    }
    expect([...session.filterFrames(batch!)]).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    session.setDisplayFilter('http');
    expect([...session.filterFrames(batch!)]).toEqual([0, 0, 0, 1, 0, 1, 0, 0, 0, 0]);
    expect([...session.filterFrames(batch!, 3, 3)]).toEqual([1, 0, 1]);
    session.setDisplayFilter('');
    expect([...session.filterFrames(batch!, 0, 2)]).toEqual([1, 1]);
    session.close();
  });

  it('prints only passing frames on the batch path', async () => {
    const dissector = await loadDissector();
    const session = dissector.openSession();
    session.setDisplayFilter('tcp.flags.syn == 1');
    const [batch] = await batches('ping-http.pcap');
    const text = new TextDecoder().decode(session.ingest(batch!, { print: true }));
    expect(text.split('\n').filter(Boolean).map((l) => l.trim().split(' ')[0])).toEqual(['1', '2']);
    session.close();
  });

  it('exposes the coloring rules and each frame’s rule', async () => {
    const dissector = await loadDissector();
    const session = dissector.openSession();
    const rules = session.colorRules();
    expect(rules).toHaveLength(21);
    expect(rules[16]).toEqual({ name: 'TCP SYN/FIN', filter: 'tcp.flags & 0x02 || tcp.flags.fin == 1', fg: '#12272e', bg: '#a0a0a0', enabled: true });
    expect(rules[14]!.enabled).toBe(false);
    expect(rules[14]!.note).toMatch(/dcerpc/);
    const [batch] = await batches('ping-http.pcap');
    session.ingest(batch!);
    const names = session.colorFrames(batch!).map((i) => rules[i]!.name);
    // As tshark --color: SYN and FIN segments grey, the GET and its response HTTP green.
    expect(names).toEqual(['TCP SYN/FIN', 'TCP SYN/FIN', 'TCP', 'HTTP', 'TCP', 'HTTP', 'TCP', 'TCP SYN/FIN', 'TCP SYN/FIN', 'TCP']);
    session.close();
  });

  it('completes field names from the registry', async () => {
    const dissector = await loadDissector();
    const session = dissector.openSession();
    const c = session.complete('ip.src == 1.2.3.4 and tcp.flags.s');
    expect(c.start).toBe(22);
    expect(c.fields.map((f) => f.abbrev)).toEqual(['tcp.flags.syn', 'tcp.flags.str']);
    expect(c.fields[0]).toEqual({ abbrev: 'tcp.flags.syn', name: 'Syn', type: 'FT_BOOLEAN', blurb: '' });
    expect(session.complete('tcp.port == ').fields).toEqual([]);
    session.close();
  });
});
