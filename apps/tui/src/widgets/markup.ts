/** Styled spans to blessed's tag markup. Packet-derived text is escaped so it never reads as tags. */
import { fit, textWidth, truncate, type Line, type SpanStyle } from '../state/text.js';
import { paint } from './palette.js';

const TAGS: Record<SpanStyle, [string, string]> = {
  normal: ['', ''],
  header: ['{bold}', '{/bold}'],
  selected: ['{black-fg}{cyan-bg}', '{/cyan-bg}{/black-fg}'],
  field: ['{black-fg}{white-bg}', '{/white-bg}{/black-fg}'],
  cursor: ['{black-fg}{yellow-bg}', '{/yellow-bg}{/black-fg}'],
  dim: ['{blue-fg}', '{/blue-fg}'],
  warn: ['{yellow-fg}', '{/yellow-fg}'],
  error: ['{red-fg}', '{/red-fg}'],
};

export function escapeTags(s: string): string {
  return s.replace(/[{}]/g, (c) => (c === '{' ? '{open}' : '{close}'));
}

/** One line as markup, cut to `width` columns; a trailing highlight is padded to the full width. */
export function markup(line: Line, width: number): string {
  let out = '';
  let left = width;
  for (const s of line) {
    if (left <= 0) break;
    const last = s === line[line.length - 1];
    const pad = last && (s.style === 'selected' || s.style === 'field' || s.color !== undefined);
    const text = pad ? fit(s.text, left) : truncate(s.text, left);
    left -= textWidth(text);
    const [open, close] = s.color && s.style === 'normal' ? paint(s.color.fg, s.color.bg) : TAGS[s.style];
    out += open + escapeTags(text) + close;
  }
  return out;
}
