/**
 * Conversations (termshark's `convs`, Wireshark's Statistics > Conversations): one tab per table
 * (eth, ip, ipv6, tcp, udp), sortable by any column, and a filter for the selected conversation
 * in one of termshark's nine directions, prepared or applied.
 */
import type { FrameBatch } from '@reef/capture';
import type { Conversation, ConversationType, Session } from '@reef/dissect';
import { COMBINATIONS, DIRECTIONS, combineFilter, directionFilter, type Combination, type Direction } from '../state/conv-filter.js';
import { Cursor } from '../state/cursor.js';
import { fit, textWidth } from '../state/text.js';
import { grouped, humanBytes, vspan, type Overlay, type OverlayHost, type ViewLine } from './overlay.js';

export const CONVERSATION_TABS: readonly ConversationType[] = ['eth', 'ip', 'ipv6', 'tcp', 'udp'];
const TAB_NAMES: Record<ConversationType, string> = { eth: 'Ethernet', ip: 'IPv4', ipv6: 'IPv6', tcp: 'TCP', udp: 'UDP' };

interface Column {
  name: string;
  /** Sort key. */
  value(c: Conversation): number | string;
  text(c: Conversation): string;
  right?: boolean;
}

/** IPv4 addresses sort numerically (termshark 2.4), anything else as text. */
function addressKey(a: string): string {
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(a);
  return v4 ? v4.slice(1).map((n) => n.padStart(3, '0')).join('.') : a;
}

function columns(type: ConversationType): Column[] {
  const ports = type === 'tcp' || type === 'udp';
  const cols: Column[] = [{ name: 'Address A', value: (c) => addressKey(c.a), text: (c) => c.a }];
  if (ports) cols.push({ name: 'Port A', value: (c) => c.portA ?? 0, text: (c) => String(c.portA ?? ''), right: true });
  cols.push({ name: 'Address B', value: (c) => addressKey(c.b), text: (c) => c.b });
  if (ports) cols.push({ name: 'Port B', value: (c) => c.portB ?? 0, text: (c) => String(c.portB ?? ''), right: true });
  const num = (name: string, f: (c: Conversation) => number, text: (n: number) => string): Column => ({ name, value: f, text: (c) => text(f(c)), right: true });
  cols.push(
    num('Packets', (c) => c.framesAB + c.framesBA, grouped),
    num('Bytes', (c) => c.bytesAB + c.bytesBA, humanBytes),
    num('Pkts A→B', (c) => c.framesAB, grouped),
    num('Bytes A→B', (c) => c.bytesAB, humanBytes),
    num('Pkts B→A', (c) => c.framesBA, grouped),
    num('Bytes B→A', (c) => c.bytesBA, humanBytes),
    num('Rel Start', (c) => c.start, (n) => n.toFixed(6)),
    num('Duration', (c) => c.duration, (n) => n.toFixed(4)),
  );
  if (type === 'tcp') cols.push(num('Stream', (c) => c.stream ?? 0, String));
  return cols;
}

type Menu = { action: 'prepare' | 'apply'; direction?: Direction } | undefined;

export class ConversationsView implements Overlay {
  private tab = 3; // tcp first: what the walkthrough looks at
  private readonly tables = new Map<ConversationType, Conversation[]>();
  private readonly cursor = new Cursor();
  /** Column the `s` key sorts by, and the one sorted by now. */
  private column = 0;
  private sortedBy: { column: number; descending: boolean } | undefined;
  private menu: Menu;
  private message = '';

  constructor(
    private readonly host: OverlayHost,
    private readonly session: Session,
    private readonly batches: Iterable<FrameBatch>,
  ) {}

  get type(): ConversationType {
    return CONVERSATION_TABS[this.tab]!;
  }

  /** The conversations of the current tab in their shown order (computed on first view). */
  rows(): Conversation[] {
    let rows = this.tables.get(this.type);
    if (!rows) {
      rows = this.session.conversations(this.type, this.batches);
      this.tables.set(this.type, rows);
      this.sortedBy = undefined;
    }
    return rows;
  }

  title(): string {
    return 'Conversations';
  }

  status(): string {
    if (this.message) return ` ${this.message}`;
    const c = this.rows()[this.cursor.pos];
    return ` ${TAB_NAMES[this.type]}: ${this.rows().length} conversation${this.rows().length === 1 ? '' : 's'}${c ? `  Selected: ${this.cursor.pos + 1}` : ''}`;
  }

  hints(): string {
    return this.menu ? '1-9 choose  esc back' : 'tab table  ←→ s sort  a apply  p prepare  q close';
  }

  key(id: string): void {
    this.message = '';
    if (this.menu) return this.menuKey(id);
    const c = this.cursor;
    switch (id) {
      case 'q':
      case 'escape':
        return this.host.closeOverlay();
      case 'tab':
      case 'S-tab':
        this.tab = (this.tab + (id === 'tab' ? 1 : CONVERSATION_TABS.length - 1)) % CONVERSATION_TABS.length;
        this.column = Math.min(this.column, columns(this.type).length - 1);
        c.first();
        return;
      case 'left':
      case 'h':
        this.column = Math.max(0, this.column - 1);
        return;
      case 'right':
      case 'l':
        this.column = Math.min(columns(this.type).length - 1, this.column + 1);
        return;
      case 's':
        return this.sort();
      case 'a':
      case 'enter':
      case 'p':
        if (this.rows()[c.pos]) this.menu = { action: id === 'p' ? 'prepare' : 'apply' };
        return;
      default:
        c.moveByKey(id);
    }
  }

  private sort(): void {
    const col = columns(this.type)[this.column]!;
    const descending = this.sortedBy?.column === this.column ? !this.sortedBy.descending : col.right === true;
    const sign = descending ? -1 : 1;
    this.rows().sort((x, y) => {
      const a = col.value(x);
      const b = col.value(y);
      return sign * (a < b ? -1 : a > b ? 1 : 0);
    });
    this.sortedBy = { column: this.column, descending };
  }

  private menuKey(id: string): void {
    const menu = this.menu!;
    if (id === 'escape' || id === 'q' || id === 'backspace') {
      this.menu = menu.direction ? { action: menu.action } : undefined;
      return;
    }
    const n = Number(id);
    if (!Number.isInteger(n) || n < 1) return;
    if (!menu.direction) {
      const direction = DIRECTIONS[n - 1];
      if (!direction) return;
      // Without an applied filter there is nothing to combine with.
      if (this.combinations().length > 2) this.menu = { ...menu, direction };
      else this.finish(menu.action, direction, 'Selected');
      return;
    }
    const how = this.combinations()[n - 1];
    if (how) this.finish(menu.action, menu.direction, how);
  }

  private combinations(): readonly Combination[] {
    return this.host.displayFilter ? COMBINATIONS : COMBINATIONS.slice(0, 2);
  }

  private finish(action: 'prepare' | 'apply', direction: Direction, how: Combination): void {
    this.menu = undefined;
    const conv = this.rows()[this.cursor.pos];
    if (!conv) return;
    const filter = combineFilter(directionFilter(this.type, conv, direction), this.host.displayFilter, how);
    if (action === 'prepare') {
      this.host.prepareFilter(filter);
      this.host.closeOverlay();
      return;
    }
    const error = this.host.applyDisplayFilter(filter);
    if (error) this.message = `${filter}: ${error}`;
    else this.host.closeOverlay();
  }

  render(width: number, height: number): ViewLine[] {
    const rows = this.rows();
    const tabs: ViewLine = [];
    CONVERSATION_TABS.forEach((t, k) => {
      const n = this.tables.get(t)?.length;
      tabs.push(vspan(` ${TAB_NAMES[t]}${n === undefined ? '' : ` · ${n}`} `, k === this.tab ? 'tabActive' : 'tab'), vspan(' '));
    });
    const cols = columns(this.type);
    const menuLines = this.menuLines(width);
    this.cursor.setHeight(Math.max(1, height - 3 - menuLines.length));
    this.cursor.setCount(rows.length);
    const visible = rows.slice(this.cursor.top, this.cursor.top + this.cursor.visibleCount);
    // Each column as wide as its widest cell among all rows (headers included).
    const widths = cols.map((col) => Math.max(textWidth(col.name) + 1, ...rows.map((r) => textWidth(col.text(r)))));
    const cell = (col: Column, text: string, w: number) => fit(text, w, col.right ? 'right' : 'left');
    const header: ViewLine = [];
    cols.forEach((col, k) => {
      const mark = this.sortedBy?.column === k ? (this.sortedBy.descending ? '▼' : '▲') : ' ';
      const name = col.right ? `${mark}${col.name}` : `${col.name}${mark}`;
      header.push(vspan(cell(col, name, widths[k]!), k === this.column ? 'tabActive' : 'header'), vspan('  '));
    });
    const lines: ViewLine[] = [tabs, [], header];
    visible.forEach((r, k) => {
      const text = cols.map((col, i) => cell(col, col.text(r), widths[i]!)).join('  ');
      lines.push([vspan(text, this.cursor.top + k === this.cursor.pos ? 'selected' : 'normal')]);
    });
    if (rows.length === 0) lines.push([vspan(`No ${TAB_NAMES[this.type]} conversations.`, 'dim')]);
    while (lines.length < height - menuLines.length) lines.push([]);
    return [...lines, ...menuLines];
  }

  /** The open menu, its items wrapped to the width. */
  private menuLines(width: number): ViewLine[] {
    const menu = this.menu;
    if (!menu) return [];
    const what = menu.action === 'apply' ? 'Apply as filter' : 'Prepare as filter';
    const items = menu.direction ? this.combinations() : DIRECTIONS;
    const out: ViewLine[] = [[vspan(`${what}${menu.direction ? ` (${menu.direction})` : ''}:`, 'header')]];
    let line: ViewLine = [];
    let used = 0;
    items.forEach((d, k) => {
      const w = textWidth(`${k + 1} ${d}   `);
      if (used > 0 && used + w > width) {
        out.push(line);
        line = [];
        used = 0;
      }
      line.push(vspan(`${k + 1}`, 'warn'), vspan(` ${d}   `));
      used += w;
    });
    out.push(line);
    return out;
  }
}
