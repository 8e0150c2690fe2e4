/**
 * The packet list: a virtual list (only the rows in view are in the DOM, so a capture of a
 * million frames scrolls like one of ten), colored by Wireshark's coloring rules.
 */
import type { Capture, ColorRule, Row } from '@reef/dissect';

const ROW_HEIGHT = 20;
/** Rows rendered beyond the visible ones, so fast scrolling shows no gap. */
const OVERSCAN = 10;

export class PacketList {
  /** Capture indexes of the displayed frames (all, or those passing the filter). */
  private shown: number[] = [];
  private rows = new Map<number, Row>();
  private colors = new Map<number, number>();
  private rules: ColorRule[] = [];
  private selected = -1;
  private capture: Capture | undefined;

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

  /** Shows `capture`'s frames in `shown` (capture indexes, in order). */
  show(capture: Capture, shown: number[]): void {
    if (capture !== this.capture) {
      this.capture = capture;
      this.rows.clear();
      this.colors.clear();
      this.rules = capture.colorRules();
      this.selected = -1;
    }
    this.shown = shown;
    this.body.style.height = `${shown.length * ROW_HEIGHT}px`;
    this.render();
  }

  select(index: number, scrollIntoView = false): void {
    this.selected = index;
    if (scrollIntoView) {
      const top = this.shown.indexOf(index) * ROW_HEIGHT;
      const head = ROW_HEIGHT;
      if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
      else if (top + 2 * ROW_HEIGHT > this.scroller.scrollTop + this.scroller.clientHeight - head) {
        this.scroller.scrollTop = top + 2 * ROW_HEIGHT - this.scroller.clientHeight + head;
      }
    }
    this.render();
    this.onSelect(index);
  }

  private render(): void {
    const capture = this.capture;
    if (!capture) return;
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.shown.length, Math.ceil((this.scroller.scrollTop + this.scroller.clientHeight) / ROW_HEIGHT) + OVERSCAN);
    const wanted = this.shown.slice(first, last);
    this.fetch(capture, wanted);
    const els = wanted.map((index, k) => {
      const el = document.createElement('div');
      el.className = index === this.selected ? 'row selected' : 'row';
      el.dataset.index = String(index);
      el.style.top = `${(first + k) * ROW_HEIGHT}px`;
      const rule = this.rules[this.colors.get(index) ?? -1];
      if (rule) {
        el.style.background = rule.bg;
        el.style.color = rule.fg;
      }
      for (const cell of this.rows.get(index)!) {
        const span = document.createElement('span');
        span.textContent = String(cell);
        el.append(span);
      }
      return el;
    });
    this.body.replaceChildren(...els);
  }

  /** Loads rows and colors not yet cached, one call per contiguous run of frames. */
  private fetch(capture: Capture, indexes: number[]): void {
    const missing = indexes.filter((i) => !this.rows.has(i));
    for (let k = 0; k < missing.length; ) {
      let n = 1;
      while (k + n < missing.length && missing[k + n] === missing[k]! + n) n++;
      const start = missing[k]!;
      const rows = capture.rows(start, n);
      const colors = capture.colors(start, n);
      rows.forEach((r, j) => this.rows.set(start + j, r));
      colors.forEach((c, j) => this.colors.set(start + j, c));
      k += n;
    }
  }
}
