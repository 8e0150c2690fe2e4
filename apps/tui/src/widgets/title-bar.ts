/** One line at the top: the program, the capture's name, and the loading state. */
import blessed from 'blessed';
import { textWidth, truncate } from '../state/text.js';
import { escapeTags } from './markup.js';

export class TitleBarWidget {
  readonly box: blessed.Widgets.BoxElement;

  constructor(screen: blessed.Widgets.Screen) {
    this.box = blessed.box({
      parent: screen,
      top: 0,
      left: 0,
      width: '100%',
      height: 1,
      tags: true,
      wrap: false,
      style: { fg: 'white', bg: 'blue', bold: true },
    });
  }

  render(title: string, state: string): void {
    const width = typeof this.box.width === 'number' ? this.box.width : 80;
    const right = `${state} `;
    const left = truncate(` ${title}`, Math.max(0, width - textWidth(right) - 1), '~');
    const gap = ' '.repeat(Math.max(1, width - textWidth(left) - textWidth(right)));
    this.box.setContent(`${escapeTags(left)}${gap}${escapeTags(right)}`);
  }
}
