/**
 * The display filter bar: the text being edited, checked on every change (in process, by the
 * core's compiler), field completions for the word under the cursor, recent filters, and the
 * filter currently applied.
 */
import type { Completion, FilterCheck } from '@reef/dissect';
import { LineEdit } from './line-edit.js';

export type FilterValidity = 'empty' | 'valid' | 'invalid';

/** Completions shown at most in the drop-down. */
export const MAX_COMPLETIONS = 8;

export interface FilterBarDeps {
  check(text: string): FilterCheck;
  complete(text: string): Completion;
}

export class FilterBarState {
  readonly edit = new LineEdit();
  validity: FilterValidity = 'empty';
  /** The compiler's message when invalid. */
  message = '';
  /** The filter the list shows ('' for none). */
  applied = '';
  /** Completions of the word before the cursor, while the drop-down is open. */
  completions: Completion['fields'] = [];
  completionStart = 0;
  /** Highlighted completion (-1: none yet; tab takes the first). */
  completionIndex = -1;

  constructor(private readonly deps: FilterBarDeps) {}

  get text(): string {
    return this.edit.text;
  }

  /** Sets the text (a recalled or given filter) without opening completions. */
  set(text: string): void {
    this.edit.set(text);
    this.validate();
    this.closeCompletions();
  }

  validate(): void {
    const text = this.edit.text;
    if (!text.trim()) {
      this.validity = 'empty';
      this.message = '';
      return;
    }
    const r = this.deps.check(text);
    this.validity = r.ok ? 'valid' : 'invalid';
    this.message = r.ok ? '' : r.message;
  }

  /** After typing: check again and offer completions for the word before the cursor. */
  changed(): void {
    this.validate();
    this.edit.resetWalk();
    this.openCompletions();
  }

  openCompletions(): void {
    const before = this.edit.text.slice(0, this.edit.pos);
    // Only while a field name is being typed: not after a space, operator or in a string.
    if (!/[A-Za-z0-9_.-]$/.test(before) || (before.match(/"/g)?.length ?? 0) % 2 === 1) {
      this.closeCompletions();
      return;
    }
    const c = this.deps.complete(before);
    const word = before.slice(c.start);
    // Nothing to offer when the word is already exactly the only candidate.
    const fields = c.fields.filter((f) => f.abbrev !== word || c.fields.length > 1);
    this.completions = fields;
    this.completionStart = c.start;
    this.completionIndex = -1;
  }

  closeCompletions(): void {
    this.completions = [];
    this.completionIndex = -1;
  }

  /** Moves the highlight in the drop-down. */
  moveCompletion(step: number): void {
    const n = Math.min(this.completions.length, MAX_COMPLETIONS);
    if (n === 0) return;
    this.completionIndex = this.completionIndex < 0 ? (step > 0 ? 0 : n - 1) : (this.completionIndex + step + n) % n;
  }

  /** Puts the highlighted completion (or the first) in place of the word being typed. */
  acceptCompletion(): boolean {
    const f = this.completions[Math.max(0, this.completionIndex)];
    if (!f) return false;
    this.edit.replaceBefore(this.completionStart, f.abbrev);
    this.validate();
    this.closeCompletions();
    return true;
  }

  /** Enter: the text to apply, or undefined when it does not compile. */
  submit(): string | undefined {
    this.validate();
    this.closeCompletions();
    if (this.validity === 'invalid') return undefined;
    const text = this.edit.text.trim();
    this.edit.remember(text);
    return text;
  }
}
