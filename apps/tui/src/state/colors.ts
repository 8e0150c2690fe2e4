/**
 * How many colors the terminal shows, and Wireshark's `#rrggbb` rule colors mapped to what it
 * has: 24-bit as is, else the nearest entry of the xterm 256 or the 16-color palette.
 */

export type ColorDepth = 'truecolor' | '256' | '16' | 'none';
export const COLOR_DEPTHS: readonly ColorDepth[] = ['truecolor', '256', '16', 'none'];

/**
 * From the environment (COLORTERM, NO_COLOR, TERM) and the terminfo color count (`tput colors`,
 * which blessed reads): truecolor only when announced, as tshark --color does.
 */
export function detectColorDepth(env: NodeJS.ProcessEnv, terminfoColors: number): ColorDepth {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 'none';
  if (env.TERM === 'dumb') return 'none';
  if (/^(truecolor|24bit)$/i.test(env.COLORTERM ?? '')) return 'truecolor';
  if (terminfoColors >= 256 || /256col/.test(env.TERM ?? '')) return '256';
  if (terminfoColors >= 8) return '16';
  return 'none';
}

export type Rgb = [number, number, number];

export function parseHex(hex: string): Rgb | undefined {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  return m ? [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)] : undefined;
}

/** The xterm palette: 16 system colors, the 6x6x6 cube, 24 grays. */
const PALETTE: Rgb[] = (() => {
  const p: Rgb[] = [
    [0, 0, 0], [205, 0, 0], [0, 205, 0], [205, 205, 0], [0, 0, 238], [205, 0, 205], [0, 205, 205], [229, 229, 229],
    [127, 127, 127], [255, 0, 0], [0, 255, 0], [255, 255, 0], [92, 92, 255], [255, 0, 255], [0, 255, 255], [255, 255, 255],
  ];
  const level = [0, 95, 135, 175, 215, 255];
  for (let r = 0; r < 6; r++) for (let g = 0; g < 6; g++) for (let b = 0; b < 6; b++) p.push([level[r]!, level[g]!, level[b]!]);
  for (let i = 0; i < 24; i++) p.push([8 + i * 10, 8 + i * 10, 8 + i * 10]);
  return p;
})();

/** Squared distance weighted for the eye (red 2-3, green 4, blue 2-3, "redmean"). */
function distance(a: Rgb, b: Rgb): number {
  const rmean = (a[0] + b[0]) / 2;
  const dr = a[0] - b[0];
  const dg = a[1] - b[1];
  const db = a[2] - b[2];
  return (2 + rmean / 256) * dr * dr + 4 * dg * dg + (2 + (255 - rmean) / 256) * db * db;
}

/** Index of the palette entry nearest `c` among the first `size` entries (16 or 256). */
export function nearestIndex(c: Rgb, size: 16 | 256): number {
  // In 256 colors, the system 16 are left out: terminals redefine them (themes).
  const from = size === 256 ? 16 : 0;
  let best = from;
  let bestD = Infinity;
  for (let i = from; i < size; i++) {
    const d = distance(c, PALETTE[i]!);
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}
