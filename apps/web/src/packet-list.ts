/**
 * The packet list: a virtual list (only the rows in view are in the DOM, so a capture of a
 * million frames scrolls like one of ten), colored by Wireshark's coloring rules. Rows come from
 * the dissection worker, fetched for the visible range as it scrolls.
 */
import type { ColorRule, Row } from '@reef/dissect';
import type { RowsResult } from './protocol.js';

const ROW_HEIGHT = 20;
/** Rows rendered beyond the visible ones, so fast scrolling shows no gap. */
const OVERSCAN = 10;

/** Where rows come from: frames `start .. start+count` by capture index. */
export type RowSource = (start: number, count: number) => Promise<RowsResult>;

export class PacketList {
  /** Capture indexes of the displayed frames (all, or those passing the filter). */
  private shown: number[] = [];
  private rows = new Map<number, Row>();
  private colors = new Map<number, number>();
  private inflight = new Set<number>();
  private rules: ColorRule[] = [];
  private selected = -1;
  private source: RowSource | undefined;
  /** Bumped for each new capture: answers for an older one are dropped. */
  private generation = 0;

  constructor(
    private readonly scroller: HTMLElement,
    private readonly body: HTMLElement,
    private readonly onSelect: (index: number) => void,
  ) {
    scroller.addEventListener('scroll', () => this.render());
    new ResizeObserver(() => this.render()).observe(scroller);
    body.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('.row');
      if (row?.dataset.index) this.select(Number(row.dataset.index));
    });
    scroller.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
      e.preventDefault();
      const at = this.shown.indexOf(this.selected);
      const next = this.shown[Math.max(0, Math.min(this.shown.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)))];
      if (next !== undefined) this.select(next, true);
    });
  }

  /** A new capture: its row source and coloring rules. */
  open(source: RowSource, rules: ColorRule[]): void {
    this.generation++;
    this.source = source;
    this.rules = rules;
    this.rows.clear();
    this.colors.clear();
    this.inflight.clear();
    this.selected = -1;
    this.scroller.scrollTop = 0;
  }

  /** Shows the frames in `shown` (capture indexes, in order). */
  show(shown: number[]): void {
    this.shown = shown;
    this.body.style.height = `${shown.length * ROW_HEIGHT}px`;
    this.render();
  }

  select(index: number, scrollIntoView = false): void {
    this.selected = index;
    if (scrollIntoView) {
      const top = this.shown.indexOf(index) * ROW_HEIGHT;
      if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
      else if (top + 2 * ROW_HEIGHT > this.scroller.scrollTop + this.scroller.clientHeight) {
        this.scroller.scrollTop = top + 2 * ROW_HEIGHT - this.scroller.clientHeight;
      }
    }
    this.render();
    this.onSelect(index);
  }

  private render(): void {
    if (!this.source) return;
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.shown.length, Math.ceil((this.scroller.scrollTop + this.scroller.clientHeight) / ROW_HEIGHT) + OVERSCAN);
    const wanted = this.shown.slice(first, last);
    this.fetch(wanted.filter((i) => !this.rows.has(i) && !this.inflight.has(i)));
    const els: HTMLElement[] = [];
    wanted.forEach((index, k) => {
      const row = this.rows.get(index);
      if (!row) return;
      const el = document.createElement('div');
      el.className = index === this.selected ? 'row selected' : 'row';
      el.dataset.index = String(index);
      el.style.top = `${(first + k) * ROW_HEIGHT}px`;
      const rule = this.rules[this.colors.get(index) ?? -1];
      if (rule) {
        el.style.background = rule.bg;
        el.style.color = rule.fg;
      }
      for (const cell of row) {
        const span = document.createElement('span');
        span.textContent = String(cell);
        el.append(span);
      }
      els.push(el);
    });
    this.body.replaceChildren(...els);
  }

  /** Asks for missing rows, one request per contiguous run of frames; renders again on arrival. */
  private fetch(missing: number[]): void {
    const source = this.source!;
    const generation = this.generation;
    for (let k = 0; k < missing.length; ) {
      let n = 1;
      while (k + n < missing.length && missing[k + n] === missing[k]! + n) n++;
      const start = missing[k]!;
      for (let j = 0; j < n; j++) this.inflight.add(start + j);
      void source(start, n).then(({ rows, colors }) => {
        if (generation !== this.generation) return;
        rows.forEach((r, j) => this.rows.set(start + j, r));
        colors.forEach((c, j) => this.colors.set(start + j, c));
        for (let j = 0; j < n; j++) this.inflight.delete(start + j);
        this.render();
      });
      k += n;
    }
  }
}
