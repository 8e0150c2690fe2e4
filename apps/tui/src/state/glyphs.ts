/** Marker characters: Unicode when the locale is UTF-8, ASCII otherwise. */

export interface Glyphs {
  collapsed: string;
  expanded: string;
  focus: string;
  ellipsis: string;
  emDash: string;
  /** Progress bars: a done cell and a cell to go. */
  barDone: string;
  barToGo: string;
}

/** A progress bar of `cells` cells for `fraction` (0..1), then the percentage. */
export function progressBar(fraction: number, g: Glyphs, cells = 10): string {
  const f = Math.min(1, Math.max(0, fraction));
  const done = Math.floor(f * cells);
  return `${g.barDone.repeat(done)}${g.barToGo.repeat(cells - done)} ${Math.floor(f * 100)}%`;
}

const UNICODE: Glyphs = { collapsed: '▸', expanded: '▾', focus: '▶', ellipsis: '…', emDash: '—', barDone: '█', barToGo: '░' };
const ASCII: Glyphs = { collapsed: '+', expanded: '-', focus: '>', ellipsis: '~', emDash: '-', barDone: '#', barToGo: '.' };

/** The same test blessed (and ncurses) use to decide whether the terminal takes UTF-8. */
export function localeIsUtf8(env: NodeJS.ProcessEnv = process.env): boolean {
  return /utf-?8/i.test(`${env.LANG}:${env.LANGUAGE}:${env.LC_ALL}:${env.LC_CTYPE}`);
}

export function glyphs(unicode = localeIsUtf8()): Glyphs {
  return unicode ? UNICODE : ASCII;
}
