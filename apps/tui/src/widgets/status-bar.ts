/**
 * The bottom of the screen: counts and the selection on the left, key hints on the right, and,
 * when there is one, a warning (a truncated file, a read error) on a line of its own above.
 */
import blessed from 'blessed';
import { fit, textWidth, wrap } from '../state/text.js';
import { escapeTags } from './markup.js';

export class StatusBarWidget {
  readonly box: blessed.Widgets.BoxElement;
  /** The warning, wrapped to the width. */
  private warning: string[] = [];

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

  /** Lines the bar takes: 1, plus up to 2 for a warning. */
  get height(): number {
    return 1 + this.warning.length;
  }

  setWarning(warning: string | undefined, ellipsis: string): void {
    this.warning = warning ? wrap(warning, Math.max(10, this.width - 2), 2, ellipsis) : [];
    this.box.height = this.height;
  }

  private get width(): number {
    return typeof this.box.width === 'number' ? this.box.width : 80;
  }

  /** `left` is cut before `right` is. */
  render(left: string, right: string): void {
    const width = this.width;
    const hints = textWidth(right) + 2 <= width ? right : '';
    const room = Math.max(0, width - textWidth(hints) - 1);
    const status = escapeTags(fit(left, room)) + ' ' + escapeTags(hints);
    const warn = this.warning.map((l) => `{white-fg}{red-bg}${escapeTags(fit(` ${l}`, width))}{/red-bg}{/white-fg}\n`).join('');
    this.box.setContent(warn + status);
  }
}
