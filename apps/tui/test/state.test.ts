/** The TUI's state layer (no terminal): frame lookup, the row window, the tree and the hex dump. */
import type { FrameBatch } from '@reef/capture';
import type { Row, TreeNode } from '@reef/dissect';
import { describe, expect, it } from 'vitest';
import { ColumnLayout } from '../src/state/columns.js';
import { Cursor } from '../src/state/cursor.js';
import { FrameStore } from '../src/state/frame-store.js';
import { glyphs } from '../src/state/glyphs.js';
import { HexState } from '../src/state/hex-state.js';
import { ListState } from '../src/state/list-state.js';
import { RowCache } from '../src/state/row-cache.js';
import { safeText, textWidth, wrap } from '../src/state/text.js';
import { TreeState } from '../src/state/tree-state.js';

const META_WORDS = 10;

/** A batch of `count` frames numbered from `first`, frame k holding the bytes [k, k+1, ...] (3 bytes). */
function batch(first: number, count: number): FrameBatch {
  const meta = new Uint32Array(count * META_WORDS);
  const data = new Uint8Array(count * 3);
  for (let i = 0; i < count; i++) {
    meta[i * META_WORDS] = first + i;
    meta[i * META_WORDS + 1] = i * 3;
    meta[i * META_WORDS + 2] = 3;
    meta[i * META_WORDS + 3] = 3;
    data.set([first + i, first + i + 1, first + i + 2].map((b) => b & 0xff), i * 3);
  }
  return { count, data, meta, fileOffset: new Float64Array(count) };
}

function storeOf(sizes: number[]): FrameStore {
  const store = new FrameStore();
  let n = 1;
  for (const size of sizes) {
    store.push(batch(n, size));
    n += size;
  }
  return store;
}

/** A fake `session.rows` that records how many rows it was asked for. */
function fakeRows() {
  const calls: Array<[number, number]> = [];
  const fetch = (b: FrameBatch, start: number, count: number): Row[] => {
    calls.push([b.meta[start * META_WORDS]!, count]);
    return Array.from({ length: count }, (_, k) => {
      const n = b.meta[(start + k) * META_WORDS]!;
      return [n, `${n}.000000`, '10.0.0.1', '10.0.0.2', 'UDP', 60, `frame ${n}`] as Row;
    });
  };
  return { calls, fetch };
}

describe('FrameStore', () => {
  it('finds any frame across batches by binary search', () => {
    const store = storeOf([3, 1, 5, 4]);
    expect(store.count).toBe(13);
    for (let i = 0; i < 13; i++) expect(store.frameNumber(i)).toBe(i + 1);
    expect(store.locate(3)?.i).toBe(0);
    expect(store.locate(4)?.i).toBe(0);
    expect(store.locate(8)?.i).toBe(4);
    expect(store.locate(13)).toBeUndefined();
    expect(store.locate(-1)).toBeUndefined();
    expect(Array.from(store.bytes(5)!)).toEqual([6, 7, 8]);
  });

  it('splits a range at batch boundaries', () => {
    const store = storeOf([3, 1, 5]);
    expect(store.spans(2, 4).map((s) => [s.start, s.count])).toEqual([[2, 1], [0, 1], [0, 2]]);
    expect(store.spans(7, 100).map((s) => [s.start, s.count])).toEqual([[3, 2]]);
  });
});

describe('the packet list is virtualized', () => {
  it('asks the dissector only for a window around the visible rows', () => {
    const store = storeOf(Array.from({ length: 250 }, () => 4096)); // ~1M frames
    const { calls, fetch } = fakeRows();
    const cache = new RowCache(store, fetch);
    const list = new ListState(store, cache);
    list.sync();
    list.cursor.setHeight(30);
    list.cursor.last();
    const { header, rows: lines } = list.render(100, true);
    expect(header[0]!.text).toMatch(/^ +No\. +Time Source/);
    expect(lines).toHaveLength(30);
    expect(lines[29]![0]!.text).toContain(`frame ${store.count}`);
    expect(lines[29]![0]!.style).toBe('selected');
    const fetched = calls.reduce((a, [, n]) => a + n, 0);
    expect(fetched).toBeLessThanOrEqual(30 * 2);
    expect(cache.size).toBeLessThanOrEqual(30 * 2);

    // Moving within the window costs no further calls.
    calls.length = 0;
    list.cursor.moveBy(-5);
    list.render(100, true);
    expect(calls).toHaveLength(0);

    // A page far away replaces the window instead of growing it.
    list.cursor.first();
    list.render(100, true);
    expect(cache.size).toBeLessThanOrEqual(30 * 3);
  });

  it('refetches when more frames arrive (earlier rows may change as analysis learns more)', () => {
    const store = storeOf([10]);
    const { calls, fetch } = fakeRows();
    const cache = new RowCache(store, fetch);
    cache.get(0, 5);
    cache.get(0, 5);
    expect(calls).toHaveLength(1);
    store.push(batch(11, 10));
    cache.get(0, 5);
    expect(calls.length).toBeGreaterThan(1);
  });
});

describe('Cursor', () => {
  it('keeps the selection visible and clamps to the content', () => {
    const c = new Cursor();
    c.setHeight(5);
    c.setCount(20);
    c.moveBy(7);
    expect([c.pos, c.top]).toEqual([7, 3]);
    c.page(1);
    expect(c.pos).toBe(11);
    c.last();
    expect([c.pos, c.top]).toEqual([19, 15]);
    c.page(1);
    expect(c.pos).toBe(19);
    c.first();
    expect([c.pos, c.top]).toEqual([0, 0]);
    c.setCount(0);
    expect([c.pos, c.top, c.visibleCount]).toEqual([0, 0, 0]);
  });
});

function node(field: string, label: string, start: number, len: number, children?: TreeNode[]): TreeNode {
  return { field, label, start, len, ...(children ? { children } : {}) };
}

function frameTree(srcPort: number): TreeNode[] {
  return [
    node('frame', 'Frame', 0, 66, [node('frame.len', 'Frame Length: 66', 0, 0)]),
    node('ip', 'Internet Protocol Version 4', 14, 20, [node('ip.ttl', 'Time to Live: 64', 22, 1)]),
    node('tcp', `Transmission Control Protocol, Src Port: ${srcPort}`, 34, 32, [
      node('tcp.srcport', `Source Port: ${srcPort}`, 34, 2),
      node('tcp.flags', 'Flags: 0x010 (ACK)', 46, 2, [node('tcp.flags.ack', 'Acknowledgment: Set', 46, 2)]),
      node('tcp.options.nop', 'NOP', 54, 1, [node('tcp.option_kind', 'Kind: 1', 54, 1)]),
      node('tcp.options.nop', 'NOP', 55, 1, [node('tcp.option_kind', 'Kind: 1', 55, 1)]),
    ]),
  ];
}

describe('TreeState', () => {
  const labels = (t: TreeState) => t.visible.map((l) => `${'  '.repeat(l.depth)}${l.node.label}`);

  it('starts collapsed, expands and collapses by key, and goes to the parent', () => {
    const t = new TreeState();
    t.cursor.setHeight(20);
    t.setTree(frameTree(37992));
    expect(labels(t)).toEqual(['Frame', 'Internet Protocol Version 4', 'Transmission Control Protocol, Src Port: 37992']);
    t.cursor.moveTo(2);
    t.expand();
    expect(t.visible.map((l) => l.path)).toEqual(['frame', 'ip', 'tcp', 'tcp/tcp.srcport', 'tcp/tcp.flags', 'tcp/tcp.options.nop', 'tcp/tcp.options.nop#1']);
    t.expand(); // on an open node: to its first child
    expect(t.selected()?.path).toBe('tcp/tcp.srcport');
    t.collapse(); // a leaf: to the parent
    expect(t.selected()?.path).toBe('tcp');
    t.collapse();
    expect(t.visible).toHaveLength(3);
    t.toggle();
    expect(t.visible).toHaveLength(7);
  });

  it('keeps expansion per field path and the cursor on the same field across frames', () => {
    const t = new TreeState();
    t.cursor.setHeight(20);
    t.setTree(frameTree(37992));
    t.cursor.moveTo(2);
    t.expand();
    t.cursor.moveTo(4); // tcp.flags
    t.expand();
    t.cursor.moveTo(7); // the second NOP (after tcp.flags' child)
    t.expand();
    expect(t.isExpanded('tcp/tcp.flags')).toBe(true);
    expect(t.isExpanded('tcp/tcp.options.nop#1')).toBe(true);
    expect(t.isExpanded('tcp/tcp.options.nop')).toBe(false);
    t.setTree(frameTree(8080));
    expect(labels(t)).toContain('    Acknowledgment: Set');
    expect(labels(t)).toContain('  Source Port: 8080');
    expect(t.selected()?.path).toBe('tcp/tcp.options.nop#1');
    // A frame without the field: the cursor falls back to the nearest ancestor, else the top.
    t.setTree([node('frame', 'Frame', 0, 42)]);
    expect(t.cursor.pos).toBe(0);
  });

  it('selects the narrowest visible field under a byte offset', () => {
    const t = new TreeState();
    t.cursor.setHeight(20);
    t.setTree(frameTree(1));
    t.selectByOffset(35);
    expect(t.selected()?.path).toBe('tcp');
    t.expand();
    t.selectByOffset(35);
    expect(t.selected()?.path).toBe('tcp/tcp.srcport');
  });

  it('renders markers and makes control characters in labels visible', () => {
    const t = new TreeState();
    t.cursor.setHeight(20);
    t.setTree([node('http', 'GET /\x1b[2J\r\n', 0, 10, [node('http.x', 'x', 0, 1)])]);
    const [line] = t.render(glyphs(true), true);
    expect(line![0]!.text).toBe('▸ GET /\\x1b[2J\\x0d\\x0a');
    expect(t.render(glyphs(false), true)[0]![0]!.text.startsWith('+ ')).toBe(true);
  });
});

describe('HexState', () => {
  const bytes = Uint8Array.from({ length: 40 }, (_, i) => (i === 17 ? 0x1b : 0x41 + (i % 26)));
  const text = (l: { text: string }[]) => l.map((s) => s.text).join('');

  it('dumps 16 bytes a row in two groups of 8, with printable ASCII only', () => {
    const h = new HexState();
    h.cursor.setHeight(10);
    h.setBytes(bytes);
    const rows = h.render(undefined, false).map(text);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toBe('0000  41 42 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50  ABCDEFGHIJKLMNOP');
    expect(rows[1]).toBe('0010  51 1b 53 54 55 56 57 58  59 5a 41 42 43 44 45 46  Q.STUVWXYZABCDEF');
    expect(rows[2]).toBe('0020  47 48 49 4a 4b 4c 4d 4e                           GHIJKLMN');
  });

  it('highlights the selected field, gaps included, and shows the cursor when focused', () => {
    const h = new HexState();
    h.cursor.setHeight(10);
    h.setBytes(bytes);
    const row = h.render({ start: 6, len: 4 }, false)[0]!;
    expect(row.filter((s) => s.style === 'field').map((s) => s.text)).toEqual(['47 48  49 4a', 'GHIJ']);
    h.moveTo(20);
    const focused = h.render({ start: 6, len: 4 }, true)[1]!;
    expect(focused.filter((s) => s.style === 'cursor').map((s) => s.text)).toEqual(['55', 'U']);
  });

  it('moves by byte and by row, never past the ends', () => {
    const h = new HexState();
    h.cursor.setHeight(2);
    h.setBytes(bytes);
    h.moveBy(-1);
    expect(h.offset).toBe(0);
    h.moveBy(16);
    h.moveBy(16);
    expect(h.offset).toBe(32);
    h.moveBy(16); // no row below column 0 of 0x30: stays
    expect(h.offset).toBe(32);
    h.lastRow();
    expect(h.offset).toBe(32);
    h.moveTo(39);
    h.firstRow();
    expect(h.offset).toBe(7);
  });
});

describe('text', () => {
  it('escapes terminal controls and bidi overrides', () => {
    expect(safeText('a\x07b\x9bc\u202ed')).toBe('a\\x07b\\x9bc\\u202ed');
  });

  it('measures wide characters', () => {
    expect(textWidth('→ab')).toBe(3);
    expect(textWidth('日本')).toBe(4);
  });

  it('word-wraps into at most n lines', () => {
    expect(wrap('one two three four', 9, 3)).toEqual(['one two', 'three', 'four']);
    expect(wrap('one two three four', 9, 2, '~')).toEqual(['one two', 'three fo~']);
  });
});

describe('ColumnLayout', () => {
  const row: Row = [1, '0.000000', '192.168.100.200', '10.0.0.1', 'TCP', 74, '443 → 51000 [ACK]'];

  it('fits a line exactly and squeezes the address columns on a narrow terminal', () => {
    const c = new ColumnLayout();
    c.observe([row]);
    for (const width of [60, 80, 120]) {
      expect(textWidth(c.format(row, width))).toBe(width);
      expect(textWidth(c.header(width))).toBe(width);
    }
    expect(c.format(row, 120)).toContain('192.168.100.200');
    const narrow = c.widths(60);
    expect(narrow[6]).toBeGreaterThanOrEqual(10);
  });
});
