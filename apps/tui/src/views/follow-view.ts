/**
 * Follow stream (termshark's `streams`, Wireshark's Follow TCP/UDP Stream): the payload of the
 * selected packet's stream, client in red and server in blue, as ASCII, hex or raw; the entire
 * conversation or one side; a search box. Enter, q or esc go back to the list with the display
 * filter `tcp.stream eq N` (udp.stream for UDP) and the packet of the chunk under the cursor.
 */
import type { FrameBatch } from '@reef/capture';
import type { FollowChunk, FollowedStream, Session } from '@reef/dissect';
import { Cursor } from '../state/cursor.js';
import { LineEdit } from '../state/line-edit.js';
import { safeText } from '../state/text.js';
import { vspan, type Overlay, type OverlayHost, type ViewLine, type ViewStyle } from './overlay.js';

export type FollowProto = 'tcp' | 'udp';
type Mode = 'ascii' | 'hex' | 'raw';
type Side = 'entire' | 'client' | 'server';

/** A drawn line and the chunk it comes from. */
interface StreamLine {
  text: string;
  chunk: number;
}

/** The bytes as text: printable ASCII as is, line feeds break lines, anything else a dot. */
function asciiLines(bytes: Uint8Array): string[] {
  const lines: string[] = [];
  let cur = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x0a) {
      lines.push(cur);
      cur = '';
    } else if (b === 0x0d && bytes[i + 1] === 0x0a) {
      // CR LF ends the line like LF alone.
    } else {
      cur += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    }
  }
  if (cur || lines.length === 0) lines.push(cur);
  return lines;
}

const hex2 = (b: number) => b.toString(16).padStart(2, '0');

/** tshark's follow hex rows: offset within the direction, 16 bytes, their ASCII. */
function hexLines(bytes: Uint8Array, offset: number): string[] {
  const out: string[] = [];
  for (let o = 0; o < bytes.length; o += 16) {
    const row = bytes.subarray(o, o + 16);
    const hex = Array.from(row, hex2);
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    out.push(`${(offset + o).toString(16).padStart(8, '0')}  ${hex.slice(0, 8).join(' ').padEnd(23)}  ${hex.slice(8).join(' ').padEnd(23)}  ${ascii}`);
  }
  return out;
}

/** Raw: the bytes as a hex stream, 32 bytes a line. */
function rawLines(bytes: Uint8Array): string[] {
  const out: string[] = [];
  for (let o = 0; o < bytes.length; o += 32) out.push(Array.from(bytes.subarray(o, o + 32), hex2).join(''));
  return out;
}

export class FollowView implements Overlay {
  private mode: Mode = 'ascii';
  private side: Side = 'entire';
  private stream: FollowedStream;
  private lines: StreamLine[] = [];
  private readonly cursor = new Cursor();
  private search: LineEdit | undefined;
  private pattern = '';
  private message = '';

  constructor(
    private readonly host: OverlayHost,
    session: Session,
    batches: Iterable<FrameBatch>,
    readonly proto: FollowProto,
    readonly index: number,
  ) {
    this.stream = session.follow(proto, index, batches, 'raw');
    this.build();
  }

  /** The display filter closing the view applies. */
  get filter(): string {
    return `${this.proto}.stream eq ${this.index}`;
  }

  private get chunks(): readonly FollowChunk[] {
    return this.stream.chunks;
  }

  private build(): void {
    const offsets = [0, 0];
    this.lines = [];
    this.chunks.forEach((c, k) => {
      const start = offsets[c.dir]!;
      offsets[c.dir] = start + c.bytes.length;
      if ((this.side === 'client' && c.dir !== 0) || (this.side === 'server' && c.dir !== 1)) return;
      const texts = this.mode === 'ascii' ? asciiLines(c.bytes) : this.mode === 'hex' ? hexLines(c.bytes, start) : rawLines(c.bytes);
      // tshark indents the server's hex rows; the same helps tell sides apart without color.
      const indent = this.mode === 'hex' && c.dir === 1 ? '    ' : '';
      for (const t of texts) this.lines.push({ text: indent + t, chunk: k });
    });
    this.cursor.setCount(this.lines.length);
  }

  title(): string {
    return `Follow ${this.proto.toUpperCase()} Stream (${this.filter})`;
  }

  status(): string {
    if (this.message) return ` ${this.message}`;
    const c = this.chunks[this.lines[this.cursor.pos]?.chunk ?? -1];
    return ` ${this.mode} · ${this.side}${c ? `  Frame: ${c.frame}` : ''}${this.pattern ? `  Search: ${safeText(this.pattern)}` : ''}`;
  }

  hints(): string {
    return this.search ? 'enter find  esc cancel' : 'a/x/r mode  e/c/s side  / n N search  enter go to packet  q close';
  }

  key(id: string, ch?: string): void {
    this.message = '';
    if (this.search) return this.searchKey(id, ch);
    const c = this.cursor;
    switch (id) {
      case 'q':
      case 'escape':
      case 'enter':
        return this.close();
      case 'a':
      case 'x':
      case 'r':
        this.mode = id === 'a' ? 'ascii' : id === 'x' ? 'hex' : 'raw';
        return this.rebuildKeepingChunk();
      case 'e':
      case 'c':
      case 's':
        this.side = id === 'e' ? 'entire' : id === 'c' ? 'client' : 'server';
        return this.rebuildKeepingChunk();
      case '/':
        this.search = new LineEdit();
        this.search.set(this.pattern);
        return;
      case 'n':
        return this.find(1);
      case 'N':
        return this.find(-1);
      default:
        c.moveByKey(id);
    }
  }

  /** Back to the list: the stream's filter applied, the chunk's packet selected. */
  private close(): void {
    const chunk = this.chunks[this.lines[this.cursor.pos]?.chunk ?? -1];
    const error = this.host.applyDisplayFilter(this.filter);
    if (error) {
      this.message = error;
      return;
    }
    this.host.closeOverlay();
    if (chunk) this.host.selectFrame(chunk.frame);
  }

  private rebuildKeepingChunk(): void {
    const chunk = this.lines[this.cursor.pos]?.chunk ?? 0;
    this.build();
    const at = this.lines.findIndex((l) => l.chunk >= chunk);
    this.cursor.moveTo(at < 0 ? this.lines.length - 1 : at);
  }

  private searchKey(id: string, ch: string | undefined): void {
    const input = this.search!;
    if (id === 'escape' || id === 'C-c') {
      this.search = undefined;
      return;
    }
    if (id === 'enter') {
      this.pattern = input.text;
      this.search = undefined;
      this.find(0);
      return;
    }
    input.key(id, ch);
  }

  /** Moves to the next (1), previous (-1) or first-from-here (0) line containing the pattern. */
  private find(step: -1 | 0 | 1): void {
    if (!this.pattern) return;
    const n = this.lines.length;
    const p = this.pattern.toLowerCase();
    for (let k = step === 0 ? 0 : 1; k <= n; k++) {
      const i = (((this.cursor.pos + (step === -1 ? -k : k)) % n) + n) % n;
      if (this.lines[i]!.text.toLowerCase().includes(p)) {
        this.cursor.moveTo(i);
        return;
      }
    }
    this.message = `not found: ${safeText(this.pattern)}`;
  }

  render(width: number, height: number): ViewLine[] {
    const [client, server] = this.stream.nodes;
    const count = (dir: 0 | 1) => this.chunks.filter((c) => c.dir === dir).length;
    let turns = 0;
    this.chunks.forEach((c, k) => (turns += k > 0 && c.dir !== this.chunks[k - 1]!.dir ? 1 : 0));
    const head: ViewLine[] = [
      [
        vspan('Client ', 'header'),
        vspan(safeText(client || '?'), 'client'),
        vspan(`  ${count(0)} pkt(s)    `),
        vspan('Server ', 'header'),
        vspan(safeText(server || '?'), 'server'),
        vspan(`  ${count(1)} pkt(s)    ${turns} turn(s)`),
      ],
      [],
    ];
    const foot: ViewLine[] = [];
    if (this.search) {
      const { before, at, after } = this.search.parts();
      foot.push([vspan('Find: ', 'header'), vspan(safeText(before)), vspan(safeText(at), 'cursor'), vspan(safeText(after))]);
    }
    this.cursor.setHeight(Math.max(1, height - head.length - foot.length));
    const body: ViewLine[] = [];
    const { top } = this.cursor;
    for (let i = top; i < top + this.cursor.visibleCount; i++) {
      const l = this.lines[i]!;
      const style: ViewStyle = this.chunks[l.chunk]!.dir === 0 ? 'client' : 'server';
      body.push(i === this.cursor.pos ? [vspan(l.text || ' ', 'selected')] : this.highlight(l.text, style));
    }
    if (this.lines.length === 0) body.push([vspan('No payload in this stream.', 'dim')]);
    while (body.length < height - head.length - foot.length) body.push([]);
    void width;
    return [...head, ...body, ...foot];
  }

  /** `text` in `style` with the search pattern's occurrences marked. */
  private highlight(text: string, style: ViewStyle): ViewLine {
    if (!this.pattern) return [vspan(text, style)];
    const out: ViewLine = [];
    const lower = text.toLowerCase();
    const p = this.pattern.toLowerCase();
    let from = 0;
    for (let at = lower.indexOf(p); at >= 0; at = lower.indexOf(p, at + p.length)) {
      if (at > from) out.push(vspan(text.slice(from, at), style));
      out.push(vspan(text.slice(at, at + p.length), 'match'));
      from = at + p.length;
    }
    if (from < text.length) out.push(vspan(text.slice(from), style));
    return out;
  }
}
