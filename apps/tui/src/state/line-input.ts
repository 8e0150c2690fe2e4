/**
 * A one-line text input driven by key names (keys.ts's ids): the follow view's search box and
 * the "save the capture as" path. Printable keys insert, backspace/delete/left/right/home/end
 * edit, ctrl-u clears.
 */
export class LineInput {
  value = '';
  /** Cursor position in characters. */
  pos = 0;

  constructor(value = '') {
    this.set(value);
  }

  set(value: string): void {
    this.value = value;
    this.pos = value.length;
  }

  /** Edits for `id`; returns false when the key is not an editing key. */
  key(id: string): boolean {
    const insert = id === 'space' ? ' ' : [...id].length === 1 ? id : undefined;
    if (insert !== undefined) {
      this.value = this.value.slice(0, this.pos) + insert + this.value.slice(this.pos);
      this.pos += insert.length;
      return true;
    }
    switch (id) {
      case 'backspace':
        if (this.pos > 0) {
          this.value = this.value.slice(0, this.pos - 1) + this.value.slice(this.pos);
          this.pos--;
        }
        return true;
      case 'delete':
        this.value = this.value.slice(0, this.pos) + this.value.slice(this.pos + 1);
        return true;
      case 'left':
        this.pos = Math.max(0, this.pos - 1);
        return true;
      case 'right':
        this.pos = Math.min(this.value.length, this.pos + 1);
        return true;
      case 'home':
      case 'C-a':
        this.pos = 0;
        return true;
      case 'end':
      case 'C-e':
        this.pos = this.value.length;
        return true;
      case 'C-u':
        this.set('');
        return true;
    }
    return false;
  }

  /** The text split at the cursor, for drawing it. */
  parts(): { before: string; at: string; after: string } {
    return { before: this.value.slice(0, this.pos), at: this.value[this.pos] ?? ' ', after: this.value.slice(this.pos + 1) };
  }
}
