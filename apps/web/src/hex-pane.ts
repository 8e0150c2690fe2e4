/** The bytes pane: one tab per data source (the frame, then reassembled bytes), highlight of a range. */
import { hexLines, type ByteRange } from '@reef/dissect';

const hex2 = (b: number) => b.toString(16).padStart(2, '0');
const printable = (b: number) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.');

export class HexPane {
  private sources: { name: string; bytes: Uint8Array }[] = [];
  private active = 0;

  constructor(
    private readonly root: HTMLElement,
    private readonly onByte: (source: number, offset: number) => void,
  ) {
    root.addEventListener('click', (e) => {
      const t = e.target as HTMLElement;
      if (t.dataset.tab) return this.render(Number(t.dataset.tab));
      if (t.dataset.i) this.onByte(this.active, Number(t.dataset.i));
    });
  }

  /** Shows the frame's bytes and its extra sources (Wireshark's byte tabs). */
  show(sources: { name: string; bytes: Uint8Array }[]): void {
    this.sources = sources;
    this.render(0);
  }

  /** Highlights `range` (switching to its source's tab); undefined clears. */
  highlight(range: ByteRange | undefined): void {
    if (range && (range.source ?? 0) !== this.active) this.render(range.source ?? 0);
    for (const el of this.root.querySelectorAll('.hl')) el.classList.remove('hl');
    if (!range) return;
    for (const el of this.root.querySelectorAll<HTMLElement>('.b')) {
      const i = Number(el.dataset.i);
      if (i >= range.start && i < range.end) el.classList.add('hl');
    }
    for (const el of this.root.querySelectorAll<HTMLElement>('.gap')) {
      const i = Number(el.dataset.after);
      if (i >= range.start && i + 1 < range.end) el.classList.add('hl');
    }
  }

  private render(active: number): void {
    this.active = active;
    const out: HTMLElement[] = [];
    if (this.sources.length > 1) {
      const tabs = document.createElement('div');
      tabs.className = 'tabs';
      this.sources.forEach((s, k) => {
        const b = document.createElement('button');
        b.dataset.tab = String(k);
        b.textContent = `${s.name} (${s.bytes.length} bytes)`;
        if (k === active) b.className = 'active';
        tabs.append(b);
      });
      out.push(tabs);
    }
    const bytes = this.sources[active]?.bytes ?? new Uint8Array(0);
    for (const line of hexLines(bytes)) {
      const el = document.createElement('div');
      el.className = 'hexline';
      const off = document.createElement('span');
      off.className = 'off';
      off.textContent = line.offset.toString(16).padStart(4, '0');
      el.append(off);
      // Hex and ASCII cells both carry the byte's offset: both highlight, both select. The gap
      // after a byte is lit only when the next byte is, so a range has no ragged edge.
      line.bytes.forEach((b, k) => {
        el.append(cell(hex2(b), line.offset + k));
        if (k < line.bytes.length - 1) el.append(gap(k === 7 ? '  ' : ' ', line.offset + k));
      });
      el.append(' '.repeat((16 - line.bytes.length) * 3 + (line.bytes.length <= 8 ? 1 : 0)));
      const ascii = document.createElement('span');
      ascii.className = 'ascii';
      line.bytes.forEach((b, k) => ascii.append(cell(printable(b), line.offset + k)));
      el.append(ascii);
      out.push(el);
    }
    this.root.replaceChildren(...out);
  }
}

function gap(text: string, after: number): HTMLElement {
  const s = document.createElement('span');
  s.className = 'gap';
  s.dataset.after = String(after);
  s.textContent = text;
  return s;
}

function cell(text: string, offset: number): HTMLElement {
  const s = document.createElement('span');
  s.className = 'b';
  s.dataset.i = String(offset);
  s.textContent = text;
  return s;
}
