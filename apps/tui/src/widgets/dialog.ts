/** A modal message box in the middle of the screen (the quit question, the help). */
import blessed from 'blessed';
import { escapeTags } from './markup.js';

export class DialogWidget {
  readonly box: blessed.Widgets.BoxElement;
  /** The text is taller than the box (it scrolls). */
  private tall = false;

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
      scrollable: true,
      style: { border: { fg: 'yellow' }, fg: 'white', bg: 'black' },
    });
  }

  get visible(): boolean {
    return !this.box.hidden;
  }

  show(title: string, text: string): void {
    this.box.setLabel(` ${title} `);
    this.box.setContent(escapeTags(text));
    // Taller than the screen: scrolls (j/k, pgup/pgdn) instead of being cut.
    const rows = (this.box.screen.height as number) - 2;
    this.tall = text.split('\n').length + 2 > rows;
    this.box.height = Math.min(rows, text.split('\n').length + 2);
    // Borders, padding and a scrollbar column around the longest line.
    this.box.width = Math.min((this.box.screen.width as number) - 2, Math.max(...text.split('\n').map((l) => l.length)) + 7);
    this.box.scrollTo(0);
    this.box.show();
    this.box.setFront();
  }

  /** Scrolls a long message; false for keys that do not scroll. */
  scroll(id: string): boolean {
    const page = Math.max(1, (this.box.height as number) - 3);
    const step = { j: 1, down: 1, k: -1, up: -1, pagedown: page, space: page, pageup: -page }[id];
    if (step === undefined || !this.tall) return false;
    this.box.scroll(step);
    return true;
  }

  hide(): void {
    this.box.hide();
  }
}
