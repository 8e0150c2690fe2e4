/** Marker characters: Unicode when the locale is UTF-8, ASCII otherwise. */

export interface Glyphs {
  collapsed: string;
  expanded: string;
  focus: string;
  ellipsis: string;
  emDash: string;
}

const UNICODE: Glyphs = { collapsed: '▸', expanded: '▾', focus: '▶', ellipsis: '…', emDash: '—' };
const ASCII: Glyphs = { collapsed: '+', expanded: '-', focus: '>', ellipsis: '~', emDash: '-' };

/** The same test blessed (and ncurses) use to decide whether the terminal takes UTF-8. */
export function localeIsUtf8(env: NodeJS.ProcessEnv = process.env): boolean {
  return /utf-?8/i.test(`${env.LANG}:${env.LANGUAGE}:${env.LC_ALL}:${env.LC_CTYPE}`);
}

export function glyphs(unicode = localeIsUtf8()): Glyphs {
  return unicode ? UNICODE : ASCII;
}
