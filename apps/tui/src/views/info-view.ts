/**
 * Read-only reports in a scrollable pane: capture file properties (what `capinfos FILE` says),
 * the expert info summary (`tshark -z expert`) and the protocol hierarchy (`tshark -z io,phs`).
 */
import { META_WORDS, linkTypeName, type FrameBatch, type InterfaceInfo } from '@reef/capture';
import type { ExpertEntry, ProtocolLevel } from '@reef/dissect';
import { fit, safeText } from '../state/text.js';
import { grouped, vspan, type Overlay, type OverlayHost, type ViewLine, type ViewStyle } from './overlay.js';

/** What the capture's reader knew about the file (for the properties). */
export interface CaptureFacts {
  /** The path given (`-r`, or the live capture's file); undefined for stdin. */
  path?: string;
  format: 'pcap' | 'pcapng';
  gzip: boolean;
  interfaces: readonly InterfaceInfo[];
  fileSize?: number;
  live?: boolean;
}

export class InfoView implements Overlay {
  private top = 0;
  private height = 1;

  constructor(
    private readonly host: OverlayHost,
    private readonly name: string,
    private readonly lines: ViewLine[],
  ) {}

  title(): string {
    return this.name;
  }

  status(): string {
    return ` ${this.name}`;
  }

  hints(): string {
    return 'j/k scroll  q close';
  }

  key(id: string): void {
    const max = Math.max(0, this.lines.length - this.height);
    const page = Math.max(1, this.height - 1);
    const step: Record<string, number> = { down: 1, j: 1, up: -1, k: -1, pagedown: page, space: page, pageup: -page, home: -Infinity, g: -Infinity, end: Infinity, G: Infinity };
    if (id === 'q' || id === 'escape' || id === 'enter') return this.host.closeOverlay();
    if (step[id] !== undefined) this.top = Math.min(max, Math.max(0, this.top + step[id]!));
  }

  render(_width: number, height: number): ViewLine[] {
    this.height = height;
    this.top = Math.min(this.top, Math.max(0, this.lines.length - height));
    return this.lines.slice(this.top, this.top + height);
  }
}

const row = (label: string, value: string): ViewLine => [vspan(label.length < 21 ? fit(label, 21) : `${label}  `, 'header'), vspan(value)];

/** `Ethernet (1)` -> `Ethernet`. */
const encapsulation = (linkType: number) => linkTypeName(linkType).replace(/ \(\d+\)$/, '');

/** capinfos's sizes: whole units, scaled by 1000 while 10000 or more (`929 bytes`, `22 MB`, `6268 kbps`). */
function scaled(v: number, unit: string, prefixedUnit: string): string {
  const prefixes = ['', 'k', 'M', 'G', 'T'];
  let p = 0;
  while (v >= 10000 && p < prefixes.length - 1) {
    v /= 1000;
    p++;
  }
  return p === 0 ? `${Math.floor(v)} ${unit}` : `${Math.floor(v)} ${prefixes[p]}${prefixedUnit}`;
}

/** `2026-11-24 23:38:02.797184` in local time, with `digits` decimals. */
function timestamp(sec: number, nsec: number, digits: number): string {
  const d = new Date(sec * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const date = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  return digits > 0 ? `${date}.${p(nsec, 9).slice(0, digits)}` : date;
}

/** The capture file properties, as capinfos lists them (hashes left out). */
export function capinfoLines(facts: CaptureFacts, batches: Iterable<FrameBatch>): ViewLine[] {
  let packets = 0;
  let dataSize = 0;
  let first: [number, number] | undefined;
  let last: [number, number] | undefined;
  let prev: [number, number] | undefined;
  let ordered = true;
  const perInterface = new Map<number, number>();
  const before = (a: [number, number], b: [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  for (const b of batches) {
    const m = b.meta;
    for (let i = 0; i < b.count; i++) {
      const o = i * META_WORDS;
      packets++;
      dataSize += m[o + 2]!;
      perInterface.set(m[o + 8]!, (perInterface.get(m[o + 8]!) ?? 0) + 1);
      if (m[o + 9]! & 0x100) continue; // no timestamp
      const t: [number, number] = [(m[o + 5]! | 0) * 4294967296 + m[o + 4]!, m[o + 6]!];
      if (!first || before(t, first)) first = t;
      if (!last || before(last, t)) last = t;
      if (prev && before(t, prev)) ordered = false;
      prev = t;
    }
  }
  const ifs = facts.interfaces;
  const digits = Math.max(0, ...ifs.map((i) => i.tsPrecision));
  const precision = digits === 9 ? 'nanoseconds (9)' : digits === 6 ? 'microseconds (6)' : `${digits} digits`;
  const encaps = [...new Set(ifs.map((i) => encapsulation(i.linkType)))];
  const duration = first && last ? last[0] - first[0] + (last[1] - first[1]) / 1e9 : 0;
  const lines: ViewLine[] = [
    row('File name:', facts.path === undefined ? '(standard input)' : safeText(facts.path)),
    row('File type:', `${facts.format === 'pcapng' ? 'Wireshark/... - pcapng' : 'Wireshark/tcpdump/... - pcap'}${facts.gzip ? ' (gzip compressed)' : ''}`),
    row('File encapsulation:', encaps.length === 1 ? encaps[0]! : encaps.length === 0 ? 'Unknown' : 'Per packet'),
    row('File timestamp precision:', `  ${precision}`),
    row('Packet size limit:', ifs.length === 1 ? `file hdr: ${ifs[0]!.snaplen} bytes` : `${ifs.map((i) => i.snaplen).join(', ')} bytes`),
    row('Number of packets:', grouped(packets)),
    row('File size:', facts.fileSize === undefined ? (facts.live ? 'live capture' : 'unknown (not a regular file)') : scaled(facts.fileSize, 'bytes', 'B')),
    row('Data size:', scaled(dataSize, 'bytes', 'B')),
    row('Capture duration:', `${duration.toFixed(digits || 6)} seconds`),
    row('First packet time:', first ? timestamp(first[0], first[1], digits) : 'n/a'),
    row('Last packet time:', last ? timestamp(last[0], last[1], digits) : 'n/a'),
    row('Data byte rate:', duration > 0 ? scaled(dataSize / duration, 'bytes/s', 'Bps') : 'n/a'),
    row('Data bit rate:', duration > 0 ? scaled((dataSize * 8) / duration, 'bits/s', 'bps') : 'n/a'),
    row('Average packet size:', packets > 0 ? `${(dataSize / packets).toFixed(2)} bytes` : 'n/a'),
    row('Average packet rate:', duration > 0 ? scaled(packets / duration, 'packets/s', 'packets/s') : 'n/a'),
    row('Strict time order:', ordered ? 'True' : 'False'),
    row('Number of interfaces in file:', `${ifs.length}`),
  ];
  ifs.forEach((i, k) => {
    lines.push([vspan(`Interface #${k} info:`, 'header')]);
    const sub = (label: string, value: string) => lines.push([vspan(`${' '.repeat(21)}${label} = ${value}`)]);
    if (i.name) sub('Name', safeText(i.name));
    if (i.description) sub('Description', safeText(i.description));
    sub('Encapsulation', linkTypeName(i.linkType));
    sub('Capture length', String(i.snaplen));
    sub('Time precision', precision);
    if (i.filter) sub('Capture filter', safeText(i.filter));
    sub('Number of packets', grouped(perInterface.get(i.id) ?? 0));
  });
  return lines;
}

const SEVERITIES: { name: ExpertEntry['severity']; heading: string; style: ViewStyle }[] = [
  { name: 'Error', heading: 'Errors', style: 'error' },
  { name: 'Warning', heading: 'Warns', style: 'warn' },
  { name: 'Note', heading: 'Notes', style: 'note' },
  { name: 'Chat', heading: 'Chats', style: 'chat' },
];

/** tshark -z expert: one section per severity, most severe first. */
export function expertLines(entries: readonly ExpertEntry[]): ViewLine[] {
  const lines: ViewLine[] = [];
  for (const s of SEVERITIES) {
    const of = entries.filter((e) => e.severity === s.name);
    if (of.length === 0) continue;
    const total = of.reduce((n, e) => n + e.count, 0);
    if (lines.length) lines.push([]);
    lines.push([vspan(`${s.heading} (${grouped(total)})`, s.style)]);
    lines.push([vspan(`${fit('Frequency', 12, 'right')}  ${fit('Group', 14)}  ${fit('Protocol', 10)}  Summary`, 'header')]);
    for (const e of of) {
      lines.push([vspan(`${fit(grouped(e.count), 12, 'right')}  ${fit(safeText(e.group), 14)}  ${fit(safeText(e.protocol), 10)}  `), vspan(safeText(e.summary), s.style)]);
    }
  }
  if (lines.length === 0) lines.push([vspan('No expert information.', 'dim')]);
  return lines;
}

/** Protocol hierarchy as Wireshark's dialog: the tree, % of packets, packets, % of bytes, bytes. */
export function hierarchyLines(levels: readonly ProtocolLevel[]): ViewLine[] {
  const frames = levels.reduce((n, l) => n + l.frames, 0);
  const bytes = levels.reduce((n, l) => n + l.bytes, 0);
  const pct = (n: number, of: number) => (of > 0 ? `${((100 * n) / of).toFixed(1)} %` : '');
  const lines: ViewLine[] = [
    [vspan(`${fit('Protocol', 40)}${fit('Packets %', 11, 'right')}${fit('Packets', 12, 'right')}${fit('Bytes %', 11, 'right')}${fit('Bytes', 16, 'right')}`, 'header')],
  ];
  const walk = (l: ProtocolLevel, depth: number) => {
    lines.push([
      vspan(fit(`${'  '.repeat(depth)}${safeText(l.protocol)}`, 40)),
      vspan(`${fit(pct(l.frames, frames), 11, 'right')}${fit(grouped(l.frames), 12, 'right')}${fit(pct(l.bytes, bytes), 11, 'right')}${fit(grouped(l.bytes), 16, 'right')}`),
    ]);
    for (const c of l.children) walk(c, depth + 1);
  };
  for (const l of levels) walk(l, 0);
  if (levels.length === 0) lines.push([vspan('No packets.', 'dim')]);
  return lines;
}
