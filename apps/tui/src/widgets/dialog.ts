/** A modal message box in the middle of the screen (the quit question, the help). */
import blessed from 'blessed';
import { escapeTags } from './markup.js';

export class DialogWidget {
  readonly box: blessed.Widgets.BoxElement;

  constructor(screen: blessed.Widgets.Screen) {
    this.box = blessed.box({
      parent: screen,
      top: 'center',
      left: 'center',
      width: 'shrink',
      height: 'shrink',
      padding: { left: 2, right: 2, top: 0, bottom: 0 },
      border: { type: 'line' },
      tags: true,
      hidden: true,
      style: { border: { fg: 'yellow' }, fg: 'white', bg: 'black' },
    });
  }

  get visible(): boolean {
    return !this.box.hidden;
  }

  show(title: string, text: string): void {
    this.box.setLabel(` ${title} `);
    this.box.setContent(escapeTags(text));
    this.box.show();
    this.box.setFront();
  }

  hide(): void {
    this.box.hide();
  }
}
