/**
 * A one-line text input (the display filter, the `:` command line, the search, the follow
 * view's find box, the "save the capture as" path): text, cursor, the usual editing keys, and a
 * history walked with up/down.
 */

export class LineEdit {
  text = '';
  /** Cursor position, in UTF-16 units of `text`. */
  pos = 0;
  private readonly history: string[] = [];
  /** Position in the history while walking it (history.length: the line being edited). */
  private walk = 0;
  private draft = '';

  constructor(private readonly historySize = 50) {}

  set(text: string): void {
    this.text = text;
    this.pos = text.length;
  }

  /** Handles an editing key; false when the key is not one. */
  key(id: string, ch?: string): boolean {
    const t = this.text;
    switch (id) {
      case 'left':
      case 'C-b':
        this.pos = Math.max(0, this.pos - 1);
        return true;
      case 'right':
      case 'C-f':
        this.pos = Math.min(t.length, this.pos + 1);
        return true;
      case 'home':
      case 'C-a':
        this.pos = 0;
        return true;
      case 'end':
      case 'C-e':
        this.pos = t.length;
        return true;
      case 'backspace':
      case 'C-h':
        if (this.pos > 0) {
          this.text = t.slice(0, this.pos - 1) + t.slice(this.pos);
          this.pos--;
        }
        return true;
      case 'delete':
      case 'C-d':
        this.text = t.slice(0, this.pos) + t.slice(this.pos + 1);
        return true;
      case 'C-u':
        this.text = t.slice(this.pos);
        this.pos = 0;
        return true;
      case 'C-k':
        this.text = t.slice(0, this.pos);
        return true;
      case 'C-w': {
        const before = t.slice(0, this.pos).replace(/\S+\s*$/, '');
        this.text = before + t.slice(this.pos);
        this.pos = before.length;
        return true;
      }
    }
    // Printable characters (a paste may bring several at once). Without `ch`, only a one-character
    // id is text (keys.ts names the space `space`; `tab`, `up`... are not text).
    const text = ch ?? (id === 'space' ? ' ' : [...id].length === 1 ? id : '');
    if (text.length >= 1 && !/[\u0000-\u001f\u007f]/.test(text) && (text.length === 1 || id === text)) {
      this.insert(text);
      return true;
    }
    return false;
  }

  /** The text split at the cursor, for drawing it (`at` is a space at the end). */
  parts(): { before: string; at: string; after: string } {
    return { before: this.text.slice(0, this.pos), at: this.text[this.pos] ?? ' ', after: this.text.slice(this.pos + 1) };
  }

  insert(s: string): void {
    this.text = this.text.slice(0, this.pos) + s + this.text.slice(this.pos);
    this.pos += s.length;
  }

  /** Replaces `text[start .. pos]` with `s` (a completion). */
  replaceBefore(start: number, s: string): void {
    this.text = this.text.slice(0, start) + s + this.text.slice(this.pos);
    this.pos = start + s.length;
  }

  /** Remembers `text` as the newest history entry (no duplicates, newest last). */
  remember(text: string): void {
    if (!text.trim()) return;
    const i = this.history.indexOf(text);
    if (i >= 0) this.history.splice(i, 1);
    this.history.push(text);
    if (this.history.length > this.historySize) this.history.shift();
    this.walk = this.history.length;
  }

  get recent(): readonly string[] {
    return this.history;
  }

  /** Up (-1) / down (+1) through the history; the line being edited is kept at the end. */
  recall(step: number): boolean {
    if (this.history.length === 0) return false;
    if (this.walk === this.history.length) this.draft = this.text;
    const next = Math.min(this.history.length, Math.max(0, this.walk + step));
    if (next === this.walk) return false;
    this.walk = next;
    this.set(next === this.history.length ? this.draft : this.history[next]!);
    return true;
  }

  /** Stops walking the history (the next up starts from the newest entry). */
  resetWalk(): void {
    this.walk = this.history.length;
  }
}
