import { createReadStream, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as browser from '../src/browser.js';
import { CaptureFormatError, FilterSyntaxError, hexLines, loadDissector, nodeBytes, openCapture, readCapture, wasmUrl, type TreeNode } from '../src/index.js';
import { fixturesDir } from '../../../test-fixtures/lib/paths.js';

const fixture = (name: string) => readFileSync(join(fixturesDir, name));

function find(nodes: TreeNode[], field: string): TreeNode | undefined {
  for (const n of nodes) {
    if (n.field === field) return n;
    const c = n.children && find(n.children, field);
    if (c) return c;
  }
  return undefined;
}

describe('Capture (the embeddable API)', () => {
  it('opens a whole pcapng and answers rows, trees, bytes, filters, colors, conversations and follow', async () => {
    const capture = openCapture(await loadDissector(), fixture('ping-http.pcapng'), { name: 'ping-http.pcapng' });
    expect(capture.format).toBe('pcapng');
    expect(capture.frameCount).toBe(10);

    const rows = capture.rows(2, 3);
    expect(rows.map((r) => r[0])).toEqual([3, 4, 5]);
    expect(rows[1]!.slice(4, 7)).toEqual(['HTTP', 148, 'GET /ping HTTP/1.1 ']);

    const { dissection, bytes } = capture.details(3);
    expect(bytes).toHaveLength(148);
    expect(dissection.tree.map((n) => n.field)).toEqual(['frame', 'eth', 'ip', 'tcp', 'http']);
    const tcp = find(dissection.tree, 'tcp')!;
    expect(nodeBytes(tcp, dissection, bytes)).toEqual({ start: 34, end: 66 });
    const port = find(dissection.tree, 'tcp.srcport')!;
    expect(port.label).toBe('Source Port: 37992');
    expect(nodeBytes(port, dissection, bytes)).toEqual({ start: 34, end: 36 });
    expect(bytes[34]! * 256 + bytes[35]!).toBe(37992);
    const lines = hexLines(bytes);
    expect(lines).toHaveLength(10);
    expect(lines[9]).toMatchObject({ offset: 144 });
    expect(lines[9]!.bytes).toHaveLength(4);

    expect(capture.checkFilter('http.request')).toEqual({ ok: true });
    const bad = capture.checkFilter('tcp.prot == 80');
    expect(bad.ok).toBe(false);
    expect(bad.ok ? undefined : bad.span).toEqual({ start: 0, length: 8 });
    expect(capture.matches('http')).toEqual([3, 5]);
    expect(capture.matches('')).toHaveLength(10);
    const err = (() => {
      try {
        capture.matches('tcp.port == 80 &&');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(FilterSyntaxError);
    expect(capture.complete('tcp.flags.sy').fields.map((f) => f.abbrev)).toContain('tcp.flags.syn');

    const rules = capture.colorRules();
    const colors = capture.colors(0, 10);
    expect(colors).toHaveLength(10);
    expect(rules[colors[0]!]!.name).toBe('TCP SYN/FIN');
    expect(rules[colors[3]!]!.name).toBe('HTTP');

    const [conv] = capture.conversations('tcp');
    expect(conv).toMatchObject({ portA: 37992, portB: 8080, framesAB: 6, framesBA: 4, stream: 0 });
    const followed = capture.follow('tcp', 0);
    expect(followed.nodes).toEqual(['127.0.0.1:37992', '127.0.0.1:8080']);
    expect(new TextDecoder().decode(followed.chunks[0]!.bytes)).toMatch(/^GET \/ping HTTP\/1.1\r\n/);
    expect(followed.text).toContain('Follow: tcp,ascii');

    capture.dispose();
    expect(() => capture.rows(0, 1)).toThrow();
  });

  it('takes a file in chunks of any size, as a stream delivers it', async () => {
    const dissector = await loadDissector();
    const whole = openCapture(dissector, fixture('dns.pcap'));
    const pieces = openCapture(dissector);
    const bytes = fixture('dns.pcap');
    for (let off = 0; off < bytes.length; off += 7) pieces.push(bytes.subarray(off, off + 7));
    pieces.end();
    expect(pieces.frameCount).toBe(whole.frameCount);
    expect(pieces.rows()).toEqual(whole.rows());
    whole.dispose();
    pieces.dispose();
  });

  it('reads a capture from a web ReadableStream or a Node stream', async () => {
    const dissector = await loadDissector();
    const bytes = fixture('tls-fragments.pcap');
    const whole = openCapture(dissector, bytes);
    const web = await readCapture(dissector, new Blob([bytes]).stream());
    const node = await readCapture(dissector, createReadStream(join(fixturesDir, 'tls-fragments.pcap'), { highWaterMark: 100 }));
    expect(web.rows()).toEqual(whole.rows());
    expect(node.rows()).toEqual(whole.rows());
    // Reassembled TLS handshake bytes come along as extra data sources.
    const names = whole.details(5).dissection.sources.map((s) => s.name);
    expect(names).toEqual(['Reassembled TLS Handshake', 'Reassembled TLS Handshake']);
    expect(web.details(5).dissection.sources.map((s) => s.name)).toEqual(names);
    for (const c of [whole, web, node]) c.dispose();
    await expect(readCapture(dissector, new Blob([new Uint8Array(30)]).stream())).rejects.toBeInstanceOf(CaptureFormatError);
  });

  it('throws CaptureFormatError with the byte offset for a broken file', async () => {
    const dissector = await loadDissector();
    const bytes = new Uint8Array(fixture('ping-http.pcap'));
    const second = 24 + 16 + 74; // header, then frame 1's record: frame 2's record header
    new DataView(bytes.buffer).setUint32(second + 8, 0x7fffffff, true); // caplen
    const e = (() => {
      try {
        openCapture(dissector, bytes, { name: 'bad.pcap' });
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(CaptureFormatError);
    expect((e as CaptureFormatError).offset).toBe(second);
    expect(() => openCapture(dissector, new TextEncoder().encode('hello world'))).toThrow(CaptureFormatError);
  });

  it('loads the module from bytes, a compiled module, a file URL or a path', async () => {
    const bytes = await readFile(wasmUrl);
    for (const source of [bytes, await WebAssembly.compile(bytes), wasmUrl, fileURLToPath(wasmUrl)]) {
      const d = await loadDissector(source);
      expect(d.checkFilter('ip.addr == 10.0.0.1')).toEqual({ ok: true });
    }
  });

  it('the browser entry works without Node built-ins, from bytes or a fetch Response', async () => {
    const bytes = await readFile(wasmUrl);
    const d = await browser.loadDissector(new Response(bytes, { headers: { 'content-type': 'application/wasm' } }));
    const capture = browser.openCapture(d, fixture('ping-http.pcap'));
    expect(capture.rows(0, 1)[0]![4]).toBe('TCP');
    capture.dispose();

    // Every module reachable from dist/browser.js (through @reef/capture/core) imports no node: module.
    const seen = new Set<string>();
    const here = dirname(fileURLToPath(import.meta.url));
    const captureDist = resolve(here, '../../capture/dist');
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const [, spec] of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*'([^']+)'/g)) {
        expect(spec, `${file} imports ${spec}`).not.toMatch(/^node:|^(fs|path|zlib|url|os|stream|module|child_process)$/);
        if (spec!.startsWith('.')) visit(resolve(dirname(file), spec!));
        else if (spec === '@reef/capture/core') visit(join(captureDist, 'core.js'));
        else throw new Error(`${file}: unexpected dependency ${spec}`);
      }
    };
    visit(resolve(here, '../dist/browser.js'));
    expect(seen.size).toBeGreaterThan(10);
  });
});
