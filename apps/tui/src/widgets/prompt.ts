/**
 * A one-line prompt over the line above the status bar: the `:` command line and the ctrl-f
 * search, with completions listed after the input.
 */
import blessed from 'blessed';
import type { LineEdit } from '../state/line-edit.js';
import { fit, truncate } from '../state/text.js';
import { escapeTags } from './markup.js';

export class PromptWidget {
  readonly box: blessed.Widgets.BoxElement;

  constructor(screen: blessed.Widgets.Screen) {
    this.box = blessed.box({ parent: screen, bottom: 1, left: 0, width: '100%', height: 1, tags: true, wrap: false, hidden: true, style: { fg: 'white', bg: 'black' } });
  }

  get visible(): boolean {
    return !this.box.hidden;
  }

  render(prefix: string, edit: LineEdit, hint: string, bottom: number): void {
    const width = typeof this.box.width === 'number' ? this.box.width : 80;
    this.box.bottom = bottom;
    const room = Math.max(10, width - prefix.length - 1);
    const start = Math.max(0, edit.pos - room + 2);
    const shown = edit.text.slice(start);
    const at = edit.pos - start;
    const before = escapeTags(shown.slice(0, at));
    const cur = escapeTags(shown[at] ?? ' ');
    const after = shown.slice(at + 1);
    const used = prefix.length + at + 1 + after.length;
    const tail = hint ? truncate(`   ${hint}`, Math.max(0, width - used)) : '';
    this.box.setContent(`{bold}${escapeTags(prefix)}{/bold}${before}{inverse}${cur}{/inverse}${escapeTags(after)}{yellow-fg}${escapeTags(fit(tail, Math.max(0, width - used)))}{/yellow-fg}`);
    this.box.show();
    this.box.setFront();
  }

  hide(): void {
    this.box.hide();
  }
}
