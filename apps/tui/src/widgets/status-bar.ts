/** One line at the bottom: counts and the selection on the left, key hints on the right. */
import blessed from 'blessed';
import { fit, textWidth, truncate } from '../state/text.js';
import { escapeTags } from './markup.js';

export class StatusBarWidget {
  readonly box: blessed.Widgets.BoxElement;

  constructor(screen: blessed.Widgets.Screen) {
    this.box = blessed.box({
      parent: screen,
      bottom: 0,
      left: 0,
      width: '100%',
      height: 1,
      tags: true,
      wrap: false,
      style: { fg: 'black', bg: 'cyan' },
    });
  }

  /** `left` is cut before `right` is; a `warning` is shown in red after `left`. */
  render(left: string, right: string, warning?: string): void {
    const width = typeof this.box.width === 'number' ? this.box.width : 80;
    const hints = textWidth(right) + 2 <= width ? right : '';
    const room = Math.max(0, width - textWidth(hints) - 1);
    const main = truncate(left, room);
    const warn = warning ? truncate(`  ${warning}`, room - textWidth(main), '~') : '';
    const gap = ' '.repeat(Math.max(0, room - textWidth(main) - textWidth(warn)) + 1);
    this.box.setContent(
      escapeTags(main) + (warn ? `{red-bg}{white-fg}${escapeTags(warn)}{/white-fg}{/red-bg}` : '') + gap + escapeTags(fit(hints, width - room - 1)),
    );
  }
}
