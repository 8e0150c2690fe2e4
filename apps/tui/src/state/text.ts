/**
 * Text helpers for the screen, free of any UI toolkit: styled spans, terminal-safe strings and
 * display widths.
 */

/** How a piece of text is drawn; widgets map these to colors. */
export type SpanStyle = 'normal' | 'header' | 'selected' | 'field' | 'cursor' | 'dim' | 'warn' | 'error';

export interface Span {
  text: string;
  style: SpanStyle;
  /** Colors of a coloring rule (`#rrggbb`), drawn at the terminal's depth in place of `normal`. */
  color?: { fg: string; bg: string };
}

/** One screen line as styled spans. */
export type Line = Span[];

export function span(text: string, style: SpanStyle = 'normal'): Span {
  return { text, style };
}

// C0/C1 controls, DEL, and the bidi / zero-width controls that reorder or hide text.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Packet-derived text with anything that could drive the terminal made visible as `\xNN`/`\uNNNN`. */
export function safeText(s: string): string {
  return s.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Columns a code point takes in a terminal (0, 1 or 2); a small wcwidth. */
export function charWidth(cp: number): number {
  if ((cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x200b && cp <= 0x200f) || cp === 0xfe0f) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch.codePointAt(0)!);
  return w;
}

/** `s` cut to at most `width` columns (with `…` when cut and `ellipsis` is given). */
export function truncate(s: string, width: number, ellipsis = ''): string {
  if (width <= 0) return '';
  if (textWidth(s) <= width) return s;
  const room = width - textWidth(ellipsis);
  let out = '';
  let w = 0;
  for (const ch of s) {
    const cw = charWidth(ch.codePointAt(0)!);
    if (w + cw > room) break;
    out += ch;
    w += cw;
  }
  return out + (room >= 0 ? ellipsis : '');
}

/** `s` truncated (marked with `ellipsis`) or padded to exactly `width` columns. */
export function fit(s: string, width: number, align: 'left' | 'right' = 'left', ellipsis = ''): string {
  const t = truncate(s, width, ellipsis);
  const pad = ' '.repeat(Math.max(0, width - textWidth(t)));
  return align === 'right' ? pad + t : t + pad;
}

/** `s` word-wrapped to `width` columns, at most `maxLines` lines (the last one cut with `ellipsis`). */
export function wrap(s: string, width: number, maxLines: number, ellipsis = ''): string[] {
  const lines: string[] = [];
  let rest = s;
  while (rest && lines.length < maxLines) {
    if (textWidth(rest) <= width) {
      lines.push(rest);
      rest = '';
      break;
    }
    const head = truncate(rest, width);
    const cut = head.lastIndexOf(' ');
    const take = cut > 0 ? head.slice(0, cut) : head;
    if (lines.length === maxLines - 1) {
      lines.push(truncate(rest, width, ellipsis));
      rest = '';
      break;
    }
    lines.push(take);
    rest = rest.slice(take.length).replace(/^ +/, '');
  }
  return lines;
}
