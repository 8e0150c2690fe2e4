/** The bordered pane an overlay view draws into; it covers the packet panes while open. */
import blessed from 'blessed';
import type { Glyphs } from '../state/glyphs.js';
import { fit, textWidth, truncate } from '../state/text.js';
import type { ViewLine, ViewStyle } from '../views/overlay.js';
import { escapeTags } from './markup.js';
import { innerSize, setPaneFocus, type Box } from './pane.js';

const TAGS: Record<ViewStyle, [string, string]> = {
  normal: ['', ''],
  header: ['{bold}', '{/bold}'],
  selected: ['{black-fg}{cyan-bg}', '{/cyan-bg}{/black-fg}'],
  field: ['{black-fg}{white-bg}', '{/white-bg}{/black-fg}'],
  cursor: ['{black-fg}{yellow-bg}', '{/yellow-bg}{/black-fg}'],
  dim: ['{blue-fg}', '{/blue-fg}'],
  warn: ['{yellow-fg}', '{/yellow-fg}'],
  error: ['{red-fg}', '{/red-fg}'],
  // Wireshark's follow-stream colors: client red, server blue.
  client: ['{red-fg}', '{/red-fg}'],
  server: ['{blue-fg}', '{/blue-fg}'],
  match: ['{black-fg}{yellow-bg}', '{/yellow-bg}{/black-fg}'],
  tab: ['', ''],
  tabActive: ['{bold}{black-fg}{cyan-bg}', '{/cyan-bg}{/black-fg}{/bold}'],
  note: ['{cyan-fg}', '{/cyan-fg}'],
  chat: ['{green-fg}', '{/green-fg}'],
};

export class OverlayPane {
  readonly box: Box;

  constructor(screen: blessed.Widgets.Screen, private readonly glyphs: Glyphs) {
    this.box = blessed.box({
      parent: screen,
      top: 1,
      left: 0,
      width: '100%',
      height: 10,
      border: { type: 'line' },
      tags: true,
      wrap: false,
      hidden: true,
      style: { border: { fg: 'cyan' }, label: { bold: true, fg: 'cyan' } },
    });
  }

  get size(): { width: number; height: number } {
    return innerSize(this.box);
  }

  place(top: number, height: number): void {
    this.box.top = top;
    this.box.height = height;
  }

  render(title: string, lines: readonly ViewLine[]): void {
    const { width } = this.size;
    setPaneFocus(this.box, title, true, this.glyphs);
    this.box.setContent(lines.map((l) => markupLine(l, width)).join('\n'));
    this.box.show();
    this.box.setFront();
  }

  hide(): void {
    this.box.hide();
  }
}

/** One line as markup, cut to `width` columns; a trailing highlight fills the line. */
function markupLine(line: ViewLine, width: number): string {
  let out = '';
  let left = width;
  for (let k = 0; k < line.length && left > 0; k++) {
    const s = line[k]!;
    const pad = k === line.length - 1 && (s.style === 'selected' || s.style === 'field');
    const text = pad ? fit(s.text, left) : truncate(s.text, left);
    // A line of tags alone is dropped by blessed: empty spans add nothing.
    if (!text) continue;
    left -= textWidth(text);
    const [open, close] = TAGS[s.style];
    out += open + escapeTags(text) + close;
  }
  return out;
}
