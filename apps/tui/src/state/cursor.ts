/**
 * A cursor over `count` lines shown `height` at a time: the selection and the first visible
 * line. The list, the tree and the hex pane each own one.
 */
export class Cursor {
  /** Selected line (0 when empty). */
  pos = 0;
  /** First visible line. */
  top = 0;
  count = 0;
  height = 1;

  /** Sets the number of lines, keeping the selection in range. */
  setCount(count: number): void {
    this.count = Math.max(0, count);
    this.moveTo(this.pos);
  }

  setHeight(height: number): void {
    this.height = Math.max(1, height);
    this.scrollIntoView();
  }

  moveTo(pos: number): void {
    this.pos = this.count === 0 ? 0 : Math.min(this.count - 1, Math.max(0, Math.trunc(pos)));
    this.scrollIntoView();
  }

  moveBy(delta: number): void {
    this.moveTo(this.pos + delta);
  }

  /**
   * The movement keys every list-like view shares (arrows and j/k, page keys and space,
   * home/g, end/G); false when `id` is none of them.
   */
  moveByKey(id: string): boolean {
    switch (id) {
      case 'down':
      case 'j':
        this.moveBy(1);
        return true;
      case 'up':
      case 'k':
        this.moveBy(-1);
        return true;
      case 'pagedown':
      case 'space':
        this.page(1);
        return true;
      case 'pageup':
        this.page(-1);
        return true;
      case 'home':
      case 'g':
        this.first();
        return true;
      case 'end':
      case 'G':
        this.last();
        return true;
    }
    return false;
  }

  /** Page down (`pages` > 0) or up: the selection and the view move together. */
  page(pages: number): void {
    const step = Math.max(1, this.height - 1) * pages;
    const rel = this.pos - this.top;
    this.pos = this.count === 0 ? 0 : Math.min(this.count - 1, Math.max(0, this.pos + step));
    this.top = this.pos - rel;
    this.scrollIntoView();
  }

  /** Scrolls down until line `index` is visible too, as far as the selection stays visible. */
  reveal(index: number): void {
    const want = Math.min(index, this.count - 1) - this.height + 1;
    this.top = Math.max(this.top, Math.min(this.pos, want));
    this.scrollIntoView();
  }

  first(): void {
    this.moveTo(0);
  }

  last(): void {
    this.moveTo(this.count - 1);
  }

  /** Lines `top .. top+height`, clamped to the content. */
  get visibleCount(): number {
    return Math.max(0, Math.min(this.height, this.count - this.top));
  }

  private scrollIntoView(): void {
    const maxTop = Math.max(0, this.count - this.height);
    if (this.pos < this.top) this.top = this.pos;
    if (this.pos >= this.top + this.height) this.top = this.pos - this.height + 1;
    this.top = Math.min(Math.max(0, this.top), maxTop);
  }
}
