/** The views' pure parts: conversation filters, the positional display filter, DisplayList, LineEdit. */
import type { FrameBatch } from '@reef/capture';
import type { Conversation, FrameBatchLike } from '@reef/dissect';
import { describe, expect, it } from 'vitest';
import { combineFilter, directionFilter } from '../src/state/conv-filter.js';
import { DisplayList, IndexList, testFrames } from '../src/state/display-list.js';
import { FrameStore } from '../src/state/frame-store.js';
import { LineEdit } from '../src/state/line-edit.js';
import { parseArgs } from '../src/options.js';

const tcp: Conversation = { a: '10.0.0.1', b: '10.0.0.2', portA: 37992, portB: 8080, stream: 0, framesAB: 6, bytesAB: 486, framesBA: 4, bytesBA: 443, start: 0, duration: 1 };

describe('conversation filters', () => {
  it('builds termshark\'s directions for TCP, IPv6 and Ethernet', () => {
    expect(directionFilter('tcp', tcp, 'A ↔ B')).toBe('ip.addr==10.0.0.1 && tcp.port==37992 && ip.addr==10.0.0.2 && tcp.port==8080');
    expect(directionFilter('tcp', tcp, 'A → B')).toBe('ip.src==10.0.0.1 && tcp.srcport==37992 && ip.dst==10.0.0.2 && tcp.dstport==8080');
    expect(directionFilter('tcp', tcp, 'B → A')).toBe('ip.src==10.0.0.2 && tcp.srcport==8080 && ip.dst==10.0.0.1 && tcp.dstport==37992');
    expect(directionFilter('tcp', tcp, 'Any → A')).toBe('ip.dst==10.0.0.1 && tcp.dstport==37992');
    expect(directionFilter('udp', { ...tcp, a: '::1', b: 'fe80::1' }, 'Any ↔ B')).toBe('ipv6.addr==fe80::1 && udp.port==8080');
    expect(directionFilter('eth', { ...tcp, a: '00:11:22:33:44:55' }, 'A → Any')).toBe('eth.src==00:11:22:33:44:55');
    expect(directionFilter('ipv6', { ...tcp, a: '::1', b: '::2' }, 'B → Any')).toBe('ipv6.src==::2');
  });

  it('combines with the applied filter', () => {
    expect(combineFilter('ip.addr==1.2.3.4', '', 'Selected')).toBe('ip.addr==1.2.3.4');
    expect(combineFilter('ip.addr==1.2.3.4', '', 'Not Selected')).toBe('!(ip.addr==1.2.3.4)');
    expect(combineFilter('ip.addr==1.2.3.4', 'tcp', '...and Selected')).toBe('(tcp) && (ip.addr==1.2.3.4)');
    expect(combineFilter('ip.addr==1.2.3.4', 'tcp', '...or not Selected')).toBe('(tcp) || !(ip.addr==1.2.3.4)');
    expect(combineFilter('ip.addr==1.2.3.4', '', '...and Selected')).toBe('ip.addr==1.2.3.4');
  });
});

describe('reef FILE FILTER', () => {
  it('takes the words after the file as the display filter', () => {
    expect(parseArgs(['-r', 'test.pcap', 'tcp.port==8080'])).toMatchObject({ readFile: 'test.pcap', displayFilter: 'tcp.port==8080' });
    expect(parseArgs(['test.pcap', 'tcp', 'and', 'not', 'arp'])).toMatchObject({ readFile: 'test.pcap', displayFilter: 'tcp and not arp' });
    expect(parseArgs(['test.pcap']).displayFilter).toBeUndefined();
    expect(parseArgs(['-Y', 'udp', '-r', 'test.pcap'])).toMatchObject({ readFile: 'test.pcap', displayFilter: 'udp' });
    expect(() => parseArgs(['-Y', 'udp', '-r', 'test.pcap', 'tcp'])).toThrow(/both with -Y/);
    // With -i the words are still the capture filter.
    expect(parseArgs(['-i', 'lo', 'tcp', 'port', '80'])).toMatchObject({ captureFilter: 'tcp port 80' });
  });
});

/** A batch of `n` frames numbered from `first` (1 byte each: the frame number's low byte). */
function batch(first: number, n: number): FrameBatch {
  const meta = new Uint32Array(n * 10);
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    meta[i * 10] = first + i;
    meta[i * 10 + 1] = i;
    meta[i * 10 + 2] = 1;
    data[i] = (first + i) & 0xff;
  }
  return { count: n, meta, data, fileOffset: new Float64Array(n) };
}

describe('DisplayList', () => {
  it('shows every frame without a filter, the passing ones with one, and tests new frames as they come', () => {
    const store = new FrameStore();
    store.push(batch(1, 5));
    store.push(batch(6, 5));
    // "Even frame numbers" as the dissector's filterFrames would answer.
    const even = (b: FrameBatchLike, start: number, count: number) => Uint8Array.from({ length: count }, (_, k) => (b.meta[(start + k) * 10]! % 2 === 0 ? 1 : 0));
    const d = new DisplayList(store);
    expect(d.count).toBe(10);
    const matches = new IndexList();
    testFrames(store, even, 0, store.count, matches);
    d.showMatches(matches, store.count, even);
    expect(d.count).toBe(5);
    expect([0, 1, 2, 3, 4].map((i) => d.frameNumber(i))).toEqual([2, 4, 6, 8, 10]);
    // Runs of consecutive frames in one batch (here every other frame: runs of one).
    expect(d.spans(0, 3).map((s) => [s.start, s.count])).toEqual([[1, 1], [3, 1], [0, 1]]);
    // Frame 5 (store index 4) is hidden: the next displayed row is frame 6's.
    expect(d.rowOf(4)).toBeUndefined();
    expect(d.rowAtOrAfter(4)).toBe(2);
    store.push(batch(11, 2));
    d.catchUp();
    expect(d.frameNumber(d.count - 1)).toBe(12);
    d.showAll();
    expect(d.count).toBe(12);
  });
});

describe('LineEdit', () => {
  it('edits with printable keys, space, backspace, arrows and ctrl-u', () => {
    const l = new LineEdit();
    l.set('pong');
    for (const k of ['left', 'left', 'backspace', 'space', 'X']) l.key(k);
    expect(l.text).toBe('p Xng');
    expect(l.parts()).toEqual({ before: 'p X', at: 'n', after: 'g' });
    l.key('end');
    expect(l.key('C-u')).toBe(true);
    expect(l.text).toBe('');
    expect(l.key('tab')).toBe(false);
  });
});
