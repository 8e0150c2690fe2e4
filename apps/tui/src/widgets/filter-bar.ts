/**
 * The display filter bar under the title: green when the text compiles, red with the compiler's
 * message when it does not, neutral when empty; the completion drop-down opens under it.
 */
import blessed from 'blessed';
import { MAX_COMPLETIONS, type FilterBarState } from '../state/filter-bar.js';
import { fit, textWidth, truncate } from '../state/text.js';
import { escapeTags } from './markup.js';

const LABEL = ' Filter: ';

export class FilterBarWidget {
  readonly box: blessed.Widgets.BoxElement;
  readonly dropdown: blessed.Widgets.BoxElement;

  constructor(screen: blessed.Widgets.Screen) {
    this.box = blessed.box({ parent: screen, top: 1, left: 0, width: '100%', height: 1, tags: true, wrap: false });
    this.dropdown = blessed.box({
      parent: screen,
      top: 2,
      left: 0,
      width: 40,
      height: 3,
      tags: true,
      wrap: false,
      hidden: true,
      border: { type: 'line' },
      style: { fg: 'white', bg: 'black', border: { fg: 'yellow' } },
    });
  }

  private get width(): number {
    return typeof this.box.width === 'number' ? this.box.width : 80;
  }

  render(s: FilterBarState, focused: boolean, note: string): void {
    const width = this.width;
    const color = s.validity === 'valid' ? '{black-fg}{green-bg}' : s.validity === 'invalid' ? '{white-fg}{red-bg}' : '{black-fg}{white-bg}';
    const close = s.validity === 'valid' ? '{/green-bg}{/black-fg}' : s.validity === 'invalid' ? '{/red-bg}{/white-fg}' : '{/white-bg}{/black-fg}';
    const text = s.edit.text;
    // The error, or what is applied, to the right of the input.
    const right = s.validity === 'invalid' ? ` ${s.message} ` : note ? ` ${note} ` : '';
    const room = Math.max(10, width - LABEL.length - Math.min(textWidth(right), Math.floor(width / 2)));
    // Editing keeps the cursor in view (the end of a long filter); otherwise the start is shown.
    const start = focused ? Math.max(0, s.edit.pos - room + 2) : 0;
    const shown = text.slice(start);
    let input: string;
    if (focused) {
      const at = s.edit.pos - start;
      const cur = shown[at] ?? ' ';
      input = escapeTags(shown.slice(0, at)) + '{inverse}' + escapeTags(cur) + '{/inverse}' + escapeTags(fit(shown.slice(at + 1), Math.max(0, room - at - 1)));
    } else {
      input = escapeTags(fit(shown, room));
    }
    const label = focused ? `{bold}${LABEL}{/bold}` : LABEL;
    const tail = truncate(right, Math.max(0, width - LABEL.length - room));
    const tailStyle = s.validity === 'invalid' ? ['{red-fg}{bold}', '{/bold}{/red-fg}'] : ['{cyan-fg}', '{/cyan-fg}'];
    this.box.setContent(`${label}${color}${input}${close}${tailStyle[0]}${escapeTags(tail)}${tailStyle[1]}`);

    const items = s.completions.slice(0, MAX_COMPLETIONS);
    if (!focused || items.length === 0) {
      this.dropdown.hide();
      return;
    }
    const w = Math.min(width - 2, Math.max(20, ...items.map((f) => textWidth(f.abbrev) + textWidth(f.name) + 6)));
    this.dropdown.left = Math.min(LABEL.length + Math.max(0, s.completionStart - start), Math.max(0, width - w));
    this.dropdown.width = w;
    this.dropdown.height = items.length + 2;
    const lines = items.map((f, i) => {
      const line = fit(`${f.abbrev}  ${f.name}`, w - 2);
      return i === s.completionIndex ? `{black-fg}{cyan-bg}${escapeTags(line)}{/cyan-bg}{/black-fg}` : escapeTags(line);
    });
    const more = s.completions.length - items.length;
    this.dropdown.setLabel(more > 0 ? ` +${more} more ` : '');
    this.dropdown.setContent(lines.join('\n'));
    this.dropdown.show();
    this.dropdown.setFront();
  }
}
